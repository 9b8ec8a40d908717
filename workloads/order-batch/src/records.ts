/** One day's records, as exported by order-processing (orders) and payments (captures/refunds). */

export interface OrderRecord {
  orderId: string;
  customerId: string;
  /** Minor units. */
  total: number;
  currency: string;
}

export interface PaymentRecord {
  paymentId: string;
  orderId: string;
  /** Minor units, always positive; `type` gives the direction. */
  amount: number;
  currency: string;
  type: 'capture' | 'refund';
}

/** Input the batch cannot trust: the run stops and exits non-zero rather than report on half the data. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

type Obj = Record<string, unknown>;

function str(obj: Obj, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value === '')
    throw new InputError(`${where}: "${key}" must be a non-empty string`);
  return value;
}

function minor(obj: Obj, key: string, where: string): number {
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InputError(`${where}: "${key}" must be a non-negative integer (minor units)`);
  }
  return value;
}

/** Parses JSON Lines; errors name the file and line. Blank lines are allowed. */
export function parseJsonLines<T>(name: string, text: string, parse: (obj: Obj, where: string) => T): T[] {
  const records: T[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const where = `${name}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InputError(`${where}: not valid JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(`${where}: expected a JSON object`);
    }
    records.push(parse(value as Obj, where));
  }
  return records;
}

export function parseOrder(obj: Obj, where: string): OrderRecord {
  return {
    orderId: str(obj, 'orderId', where),
    customerId: str(obj, 'customerId', where),
    total: minor(obj, 'total', where),
    currency: str(obj, 'currency', where),
  };
}

export function parsePayment(obj: Obj, where: string): PaymentRecord {
  const type = obj.type;
  if (type !== 'capture' && type !== 'refund')
    throw new InputError(`${where}: "type" must be capture or refund`);
  return {
    paymentId: str(obj, 'paymentId', where),
    orderId: str(obj, 'orderId', where),
    amount: minor(obj, 'amount', where),
    currency: str(obj, 'currency', where),
    type,
  };
}
