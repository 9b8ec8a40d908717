import { InputError, type OrderRecord, type PaymentRecord } from './records';

export type MismatchKind = 'paid_not_ordered' | 'ordered_not_paid' | 'amount_mismatch';

export interface Mismatch {
  kind: MismatchKind;
  orderId: string;
  /** What the order says the customer owes (minor units); absent for paid_not_ordered. */
  expected?: number;
  /** Net captured minus refunded (minor units); absent for ordered_not_paid. */
  paid?: number;
  currency: string;
  detail: string;
}

export interface ReconciliationReport {
  date: string;
  orders: number;
  payments: number;
  matched: number;
  mismatches: Mismatch[];
}

function indexOrders(orders: readonly OrderRecord[]): Map<string, OrderRecord> {
  const byId = new Map<string, OrderRecord>();
  for (const order of orders) {
    if (byId.has(order.orderId)) throw new InputError(`orders: duplicate orderId ${order.orderId}`);
    byId.set(order.orderId, order);
  }
  return byId;
}

interface Net {
  paid: number;
  currencies: Set<string>;
}

function netByOrder(payments: readonly PaymentRecord[]): Map<string, Net> {
  const seen = new Set<string>();
  const byOrder = new Map<string, Net>();
  for (const p of payments) {
    if (seen.has(p.paymentId)) throw new InputError(`payments: duplicate paymentId ${p.paymentId}`);
    seen.add(p.paymentId);
    const net = byOrder.get(p.orderId) ?? { paid: 0, currencies: new Set<string>() };
    net.paid += p.type === 'capture' ? p.amount : -p.amount;
    net.currencies.add(p.currency);
    byOrder.set(p.orderId, net);
  }
  return byOrder;
}

function compare(order: OrderRecord, net: Net | undefined): Mismatch | undefined {
  const base = { orderId: order.orderId, expected: order.total, currency: order.currency };
  if (!net) return { kind: 'ordered_not_paid', ...base, detail: 'no payment recorded for this order' };
  const otherCurrency = [...net.currencies].find((c) => c !== order.currency);
  if (otherCurrency) {
    return { kind: 'amount_mismatch', ...base, paid: net.paid, detail: `paid in ${otherCurrency}` };
  }
  if (net.paid !== order.total) {
    return { kind: 'amount_mismatch', ...base, paid: net.paid, detail: `off by ${net.paid - order.total}` };
  }
  return undefined;
}

/** Compares a day's orders with its payments; every order and every payment ends up matched or reported. */
export function reconcile(
  date: string,
  orders: readonly OrderRecord[],
  payments: readonly PaymentRecord[],
): ReconciliationReport {
  const byId = indexOrders(orders);
  const nets = netByOrder(payments);
  const mismatches: Mismatch[] = [];
  for (const order of byId.values()) {
    const mismatch = compare(order, nets.get(order.orderId));
    if (mismatch) mismatches.push(mismatch);
  }
  for (const [orderId, net] of nets) {
    if (byId.has(orderId)) continue;
    const currency = [...net.currencies].join(',');
    mismatches.push({
      kind: 'paid_not_ordered',
      orderId,
      paid: net.paid,
      currency,
      detail: 'payment for an unknown order',
    });
  }
  mismatches.sort((a, b) => a.kind.localeCompare(b.kind) || a.orderId.localeCompare(b.orderId));
  const unmatchedOrders = mismatches.filter((m) => m.kind !== 'paid_not_ordered').length;
  return {
    date,
    orders: byId.size,
    payments: payments.length,
    matched: byId.size - unmatchedOrders,
    mismatches,
  };
}
