import type { Address } from '@securecart/shared/order';

export const ADDRESS: Address = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

/** A valid order payload as checkout sends it; override fields to make it invalid. */
export function orderPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId: 'cust-1',
    currency: 'GBP',
    items: [
      { sku: 'SKU-KETTLE', quantity: 1, unitPrice: 3999 },
      { sku: 'SKU-MUG', quantity: 2, unitPrice: 899 },
    ],
    shippingAddress: ADDRESS,
    billingAddress: ADDRESS,
    paymentToken: 'tok_visa_4242',
    tax: 1159,
    shipping: 499,
    ...overrides,
  };
}
