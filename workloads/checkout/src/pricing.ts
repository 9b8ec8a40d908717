import { type OrderItem, subtotalOf } from '@securecart/shared/order';

/**
 * Tax by destination country, in basis points of the item subtotal (shipping is not taxed here).
 * US: sales tax depends on state and is collected by the payment provider at capture, so checkout adds none.
 */
export const TAX_RATE_BPS: Readonly<Record<string, number>> = {
  GB: 2000,
  IE: 2300,
  DE: 1900,
  FR: 2000,
  NL: 2100,
  US: 0,
};

export const SHIPPING_METHODS = ['standard', 'express'] as const;
export type ShippingMethod = (typeof SHIPPING_METHODS)[number];

/** Minor units. Standard shipping is free from FREE_SHIPPING_FROM subtotal. */
export const SHIPPING_PRICE: Readonly<Record<ShippingMethod, number>> = { standard: 499, express: 1499 };
export const FREE_SHIPPING_FROM = 5000;

export interface Totals {
  subtotal: number;
  tax: number;
  shipping: number;
  total: number;
}

export class UnsupportedDestination extends Error {
  constructor(readonly country: string) {
    super(`we do not ship to ${country}`);
    this.name = 'UnsupportedDestination';
  }
}

/** Half-up rounding of `amount * bps / 10000`, in integers only. */
export function applyRate(amount: number, bps: number): number {
  return Math.floor((amount * bps + 5000) / 10_000);
}

export function computeTotals(items: readonly OrderItem[], country: string, method: ShippingMethod): Totals {
  const rate = TAX_RATE_BPS[country];
  if (rate === undefined) throw new UnsupportedDestination(country);
  const subtotal = subtotalOf(items);
  const tax = applyRate(subtotal, rate);
  const shipping = method === 'standard' && subtotal >= FREE_SHIPPING_FROM ? 0 : SHIPPING_PRICE[method];
  return { subtotal, tax, shipping, total: subtotal + tax + shipping };
}
