/**
 * The order contract between checkout (which builds orders) and order-processing (which accepts them),
 * also read by fraud-detection. Money is always an integer amount of minor units (cents) of `currency`.
 */

export const SUPPORTED_CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
export type Currency = (typeof SUPPORTED_CURRENCIES)[number];

export const MAX_ITEMS = 50;
export const MAX_QUANTITY = 100;
/** Largest accepted unit price: 100,000.00 in major units. */
export const MAX_UNIT_PRICE = 10_000_000;

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

export interface OrderItem {
  sku: string;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
}

export interface Order {
  customerId: string;
  currency: Currency;
  items: OrderItem[];
  shippingAddress: Address;
  billingAddress: Address;
  paymentToken: string;
  /** Minor units; 0 when absent. */
  tax: number;
  /** Minor units; 0 when absent. */
  shipping: number;
}

export interface ValidationIssue {
  field: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(obj: Obj, key: string, field: string, issues: ValidationIssue[], max = 200): string {
  const value = obj[key];
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ field, message: 'is required and must be a non-empty string' });
    return '';
  }
  if (value.length > max) issues.push({ field, message: `must be at most ${max} characters` });
  return value.trim();
}

function minorUnits(value: unknown, field: string, issues: ValidationIssue[], max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    issues.push({ field, message: 'must be a non-negative integer amount in minor units (e.g. cents)' });
    return 0;
  }
  if (value > max) issues.push({ field, message: `must be at most ${max}` });
  return value;
}

function parseAddress(value: unknown, field: string, issues: ValidationIssue[]): Address {
  if (!isObject(value)) {
    issues.push({ field, message: 'is required and must be an object' });
    return { name: '', line1: '', city: '', postalCode: '', country: '' };
  }
  const address: Address = {
    name: text(value, 'name', `${field}.name`, issues),
    line1: text(value, 'line1', `${field}.line1`, issues),
    city: text(value, 'city', `${field}.city`, issues),
    postalCode: text(value, 'postalCode', `${field}.postalCode`, issues, 16),
    country: typeof value.country === 'string' ? value.country : '',
  };
  if (!/^[A-Z]{2}$/.test(address.country)) {
    issues.push({ field: `${field}.country`, message: 'must be an ISO 3166-1 alpha-2 code such as "US"' });
  }
  if (value.line2 !== undefined) address.line2 = text(value, 'line2', `${field}.line2`, issues);
  return address;
}

function parseItems(value: unknown, issues: ValidationIssue[]): OrderItem[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push({ field: 'items', message: 'must be a non-empty array' });
    return [];
  }
  if (value.length > MAX_ITEMS)
    issues.push({ field: 'items', message: `must have at most ${MAX_ITEMS} lines` });
  const seen = new Set<string>();
  return value.map((raw: unknown, i) => {
    const field = `items[${i}]`;
    if (!isObject(raw)) {
      issues.push({ field, message: 'must be an object' });
      return { sku: '', quantity: 0, unitPrice: 0 };
    }
    const sku = text(raw, 'sku', `${field}.sku`, issues, 64);
    if (sku && seen.has(sku)) issues.push({ field: `${field}.sku`, message: `duplicates sku "${sku}"` });
    seen.add(sku);
    const quantity = raw.quantity;
    if (
      typeof quantity !== 'number' ||
      !Number.isInteger(quantity) ||
      quantity < 1 ||
      quantity > MAX_QUANTITY
    ) {
      issues.push({ field: `${field}.quantity`, message: `must be an integer from 1 to ${MAX_QUANTITY}` });
    }
    const unitPrice = minorUnits(raw.unitPrice, `${field}.unitPrice`, issues, MAX_UNIT_PRICE);
    if (unitPrice === 0 && raw.unitPrice === 0) {
      issues.push({ field: `${field}.unitPrice`, message: 'must be greater than 0' });
    }
    return { sku, quantity: typeof quantity === 'number' ? quantity : 0, unitPrice };
  });
}

function parseCurrency(value: unknown, issues: ValidationIssue[]): Currency {
  const found = SUPPORTED_CURRENCIES.find((c) => c === value);
  if (!found)
    issues.push({ field: 'currency', message: `must be one of ${SUPPORTED_CURRENCIES.join(', ')}` });
  return found ?? 'USD';
}

/** Validates an untrusted order payload and lists every problem found, not only the first. */
export function validateOrder(input: unknown): Validation<Order> {
  if (!isObject(input)) return { ok: false, issues: [{ field: '', message: 'body must be a JSON object' }] };
  const issues: ValidationIssue[] = [];
  const order: Order = {
    customerId: text(input, 'customerId', 'customerId', issues, 64),
    currency: parseCurrency(input.currency, issues),
    items: parseItems(input.items, issues),
    shippingAddress: parseAddress(input.shippingAddress, 'shippingAddress', issues),
    billingAddress: parseAddress(input.billingAddress, 'billingAddress', issues),
    paymentToken: text(input, 'paymentToken', 'paymentToken', issues, 128),
    tax: input.tax === undefined ? 0 : minorUnits(input.tax, 'tax', issues, MAX_UNIT_PRICE * MAX_ITEMS),
    shipping:
      input.shipping === undefined ? 0 : minorUnits(input.shipping, 'shipping', issues, MAX_UNIT_PRICE),
  };
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: order };
}

export function subtotalOf(items: readonly OrderItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
}

/** What the customer pays: items + tax + shipping, in minor units. */
export function orderTotal(order: Pick<Order, 'items' | 'tax' | 'shipping'>): number {
  return subtotalOf(order.items) + order.tax + order.shipping;
}
