import type { Order } from '@securecart/shared/order';
import { ADDRESS } from '@securecart/testing/orders';

/** The order checkout hands to order-processing in the client tests (signatures are pinned to it). */
export const ORDER: Order = {
  customerId: 'cust-7',
  currency: 'GBP',
  items: [{ sku: 'A', quantity: 1, unitPrice: 100 }],
  shippingAddress: ADDRESS,
  billingAddress: ADDRESS,
  paymentToken: 'tok_visa',
  tax: 20,
  shipping: 499,
};
