/**
 * Where a day's exports and its report live: the same keys in the S3 bucket (EXPORT_BUCKET) and, for local
 * runs, under a directory (BATCH_INPUT_DIR), so `aws s3 sync s3://<bucket>/ ./exports` gives a directory the
 * file source reads as is. infra/aws grants the worker exactly these prefixes.
 */
export type RecordKind = 'orders' | 'payments';

export const EXPORT_PREFIXES = { orders: 'orders/', payments: 'payments/', reports: 'reports/' } as const;

/** `orders/2026-11-28.jsonl`, `payments/2026-11-28.jsonl` (JSON Lines, see records.ts). */
export function exportKey(kind: RecordKind, date: string): string {
  return `${EXPORT_PREFIXES[kind]}${date}.jsonl`;
}

/** `reports/2026-11-28.json`: the reconciliation report of that day. */
export function reportKey(date: string): string {
  return `${EXPORT_PREFIXES.reports}${date}.json`;
}
