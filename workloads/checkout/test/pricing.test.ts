import { describe, expect, it } from 'vitest';
import { applyRate, computeTotals, UnsupportedDestination } from '../src/pricing';

const items = (unitPrice: number, quantity = 1) => [{ sku: 'A', quantity, unitPrice }];

describe('computeTotals', () => {
  it('adds UK VAT at 20% and standard shipping under the free threshold', () => {
    expect(computeTotals(items(1000, 2), 'GB', 'standard')).toEqual({
      subtotal: 2000,
      tax: 400,
      shipping: 499,
      total: 2899,
    });
  });

  it('ships standard for free from 50.00, but always charges express', () => {
    expect(computeTotals(items(5000), 'DE', 'standard').shipping).toBe(0);
    expect(computeTotals(items(4999), 'DE', 'standard').shipping).toBe(499);
    expect(computeTotals(items(5000), 'DE', 'express').shipping).toBe(1499);
  });

  it('rounds tax half up in integer minor units', () => {
    expect(applyRate(1, 5000)).toBe(1);
    expect(applyRate(333, 1900)).toBe(63);
    expect(computeTotals(items(999), 'IE', 'express')).toEqual({
      subtotal: 999,
      tax: 230,
      shipping: 1499,
      total: 2728,
    });
  });

  it('refuses destinations without a tax rule', () => {
    expect(() => computeTotals(items(100), 'BR', 'standard')).toThrow(UnsupportedDestination);
  });
});
