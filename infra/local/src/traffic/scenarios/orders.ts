import { integerBetween, pick } from '../seeded-random';

/** What shoppers buy (the recommendations catalog's SKUs) at catalog prices, in minor units. */
const PRICED_SKUS = [
  { sku: 'SKU-KETTLE', unitPrice: 3999 },
  { sku: 'SKU-MUG', unitPrice: 899 },
  { sku: 'SKU-TEA', unitPrice: 1299 },
  { sku: 'SKU-COFFEE', unitPrice: 1599 },
  { sku: 'SKU-GRINDER', unitPrice: 8999 },
  { sku: 'SKU-FRENCHPRESS', unitPrice: 2999 },
  { sku: 'SKU-YOGA-MAT', unitPrice: 3499 },
  { sku: 'SKU-RUN-SOCKS', unitPrice: 1499 },
  { sku: 'SKU-NOTEBOOK', unitPrice: 1199 },
  { sku: 'SKU-PEN', unitPrice: 4999 },
];

/** Destinations checkout ships to, with the currency the shopper pays in. */
const DESTINATIONS = [
  { country: 'GB', currency: 'GBP', city: 'London', postalCode: 'SW1Y 4JH' },
  { country: 'IE', currency: 'EUR', city: 'Dublin', postalCode: 'D02 X285' },
  { country: 'DE', currency: 'EUR', city: 'Berlin', postalCode: '10117' },
  { country: 'FR', currency: 'EUR', city: 'Paris', postalCode: '75001' },
  { country: 'NL', currency: 'EUR', city: 'Amsterdam', postalCode: '1012 JS' },
  { country: 'US', currency: 'USD', city: 'Seattle', postalCode: '98101' },
];

const CARD_TOKENS = ['tok_visa_4242', 'tok_mastercard_4444', 'tok_amex_0005'];

/** A cart as the storefront sends it to checkout (shared/order.ts's Order without tax and shipping). */
export function cart(random: () => number, n: number, country?: string): Record<string, unknown> {
  const destination = pick(random, DESTINATIONS);
  const lines = integerBetween(random, 1, 3);
  const items = Array.from({ length: lines }, (_, i) => ({
    ...(PRICED_SKUS[(n + i * 3) % PRICED_SKUS.length] ?? { sku: 'SKU-MUG', unitPrice: 899 }),
    quantity: integerBetween(random, 1, 3),
  }));
  return {
    customerId: `cust-${String(integerBetween(random, 1, 23)).padStart(3, '0')}`,
    currency: destination.currency,
    items,
    shippingAddress: {
      name: 'Local Shopper',
      line1: `${integerBetween(random, 1, 200)} High Street`,
      city: destination.city,
      postalCode: destination.postalCode,
      country: country ?? destination.country,
    },
    paymentToken: pick(random, CARD_TOKENS),
  };
}

/** A placed order as order-processing accepts it: the cart with billing address, tax and shipping. */
export function placedOrder(random: () => number, n: number): Record<string, unknown> {
  const order = cart(random, n);
  const items = order.items as { quantity: number; unitPrice: number }[];
  const subtotal = items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
  return {
    ...order,
    billingAddress: order.shippingAddress,
    tax: Math.floor(subtotal / 5),
    shipping: subtotal >= 5000 ? 0 : 499,
  };
}

export { CARD_TOKENS, DESTINATIONS };
