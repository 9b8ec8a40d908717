import { describe, expect, it } from 'vitest';
import { reconcile } from '../src/reconcile';
import { InputError, type OrderRecord, type PaymentRecord, parseJsonLines, parseOrder } from '../src/records';

const order = (orderId: string, total: number, currency = 'USD'): OrderRecord => ({
  orderId,
  customerId: 'c',
  total,
  currency,
});
let n = 0;
const pay = (orderId: string, amount: number, type: 'capture' | 'refund' = 'capture', currency = 'USD') => {
  n += 1;
  return { paymentId: `p${n}`, orderId, amount, currency, type } satisfies PaymentRecord;
};

describe('reconcile', () => {
  it('matches orders whose net payments equal their totals, including partial refunds', () => {
    const report = reconcile(
      '2025-01-01',
      [order('o1', 1000), order('o2', 500)],
      [pay('o1', 1000), pay('o2', 700), pay('o2', 200, 'refund')],
    );
    expect(report).toEqual({ date: '2025-01-01', orders: 2, payments: 3, matched: 2, mismatches: [] });
  });

  it('reports paid-not-ordered, ordered-not-paid and amount mismatches', () => {
    const report = reconcile(
      '2025-01-01',
      [order('o1', 1000), order('o2', 500), order('o3', 300, 'EUR')],
      [pay('o1', 900), pay('ghost', 250), pay('o3', 300, 'capture', 'USD')],
    );
    expect(report.matched).toBe(0);
    expect(report.mismatches).toEqual([
      {
        kind: 'amount_mismatch',
        orderId: 'o1',
        expected: 1000,
        paid: 900,
        currency: 'USD',
        detail: 'off by -100',
      },
      {
        kind: 'amount_mismatch',
        orderId: 'o3',
        expected: 300,
        paid: 300,
        currency: 'EUR',
        detail: 'paid in USD',
      },
      {
        kind: 'ordered_not_paid',
        orderId: 'o2',
        expected: 500,
        currency: 'USD',
        detail: 'no payment recorded for this order',
      },
      {
        kind: 'paid_not_ordered',
        orderId: 'ghost',
        paid: 250,
        currency: 'USD',
        detail: 'payment for an unknown order',
      },
    ]);
  });

  it('treats duplicate ids as fatal input errors', () => {
    expect(() => reconcile('d', [order('o1', 1), order('o1', 1)], [])).toThrow(/duplicate orderId o1/);
    const p = pay('o1', 1);
    expect(() => reconcile('d', [order('o1', 1)], [p, p])).toThrow(InputError);
  });
});

describe('parseJsonLines', () => {
  it('skips blank lines and names file and line on errors', () => {
    const text = '{"orderId":"o1","customerId":"c","total":5,"currency":"USD"}\n\n{"orderId":"o2"';
    expect(() => parseJsonLines('orders.jsonl', text, parseOrder)).toThrow('orders.jsonl:3: not valid JSON');
    expect(() =>
      parseJsonLines('o.jsonl', '{"orderId":"o1","customerId":"c","total":1.5,"currency":"USD"}', parseOrder),
    ).toThrow('o.jsonl:1: "total" must be a non-negative integer (minor units)');
    expect(parseJsonLines('o.jsonl', text.split('\n')[0] ?? '', parseOrder)).toHaveLength(1);
  });
});
