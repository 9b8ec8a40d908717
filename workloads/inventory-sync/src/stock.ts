import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

/** The fields of an inventory table item that this function reads (stream view NEW_AND_OLD_IMAGES). */
export interface StockLevel {
  sku: string;
  quantity: number;
  name?: string;
  /** Per-item threshold; the function's default applies when absent. */
  lowStockThreshold?: number;
}

export interface LowStockAlert {
  sku: string;
  name?: string;
  quantity: number;
  threshold: number;
  previousQuantity?: number;
}

/** A record that cannot be understood; retrying it will not help, so it is skipped and counted. */
export class MalformedRecord extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedRecord';
  }
}

function numberAttr(image: Record<string, AttributeValue>, key: string): number | undefined {
  const raw = image[key]?.N;
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new MalformedRecord(`attribute ${key} is not a number: "${raw}"`);
  return value;
}

export function readStockLevel(image: Record<string, AttributeValue> | undefined): StockLevel | undefined {
  if (!image) return undefined;
  const sku = image.sku?.S;
  const quantity = numberAttr(image, 'quantity');
  if (!sku || quantity === undefined) throw new MalformedRecord('image lacks sku (S) or quantity (N)');
  const level: StockLevel = { sku, quantity };
  const name = image.name?.S;
  if (name) level.name = name;
  const threshold = numberAttr(image, 'lowStockThreshold');
  if (threshold !== undefined) level.lowStockThreshold = threshold;
  return level;
}

/**
 * An alert fires when stock crosses from at-or-above the threshold to below it (or a new item is inserted
 * below it), so a SKU that stays low does not alert on every change.
 */
export function lowStockAlertFor(
  record: DynamoDBRecord,
  defaultThreshold: number,
): LowStockAlert | undefined {
  if (record.eventName === 'REMOVE') return undefined;
  const next = readStockLevel(record.dynamodb?.NewImage);
  if (!next) throw new MalformedRecord(`${record.eventName ?? 'unknown'} record has no NewImage`);
  const previous = readStockLevel(record.dynamodb?.OldImage);
  const threshold = next.lowStockThreshold ?? defaultThreshold;
  const crossed = next.quantity < threshold && (previous === undefined || previous.quantity >= threshold);
  if (!crossed) return undefined;
  const alert: LowStockAlert = { sku: next.sku, quantity: next.quantity, threshold };
  if (next.name) alert.name = next.name;
  if (previous) alert.previousQuantity = previous.quantity;
  return alert;
}
