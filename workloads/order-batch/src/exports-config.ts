import { S3Client } from '@aws-sdk/client-s3';
import type { ReconciliationReport } from './reconcile';
import { DEFAULT_EXPORT_MAX_BYTES, S3Exports } from './s3-source';
import { FileSource, type ReconciliationSource } from './source';

/** Where the worker reads exports: exactly one of EXPORT_BUCKET (deployed) or BATCH_INPUT_DIR (local). */
export type ExportsConfig = { kind: 's3'; bucket: string; maxBytes: number } | { kind: 'files'; dir: string };

export interface Exports {
  source: ReconciliationSource;
  /** Where the report goes besides the log line (S3: `reports/<date>.json`); files: nowhere. */
  writeReport?: (report: ReconciliationReport) => Promise<void>;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Reads and checks the configuration; neither or both set is an error that says what to set. */
export function exportsConfigFromEnv(env: NodeJS.ProcessEnv): ExportsConfig {
  const bucket = env.EXPORT_BUCKET?.trim();
  const dir = env.BATCH_INPUT_DIR?.trim();
  if (bucket && dir) {
    throw new Error(
      `set exactly one of EXPORT_BUCKET (S3) or BATCH_INPUT_DIR (files), got both ("${bucket}", "${dir}")`,
    );
  }
  if (!bucket && !dir) {
    throw new Error(
      'set exactly one of EXPORT_BUCKET (the S3 bucket with orders/<date>.jsonl and payments/<date>.jsonl) ' +
        'or BATCH_INPUT_DIR (a directory with the same layout), got neither',
    );
  }
  if (dir) return { kind: 'files', dir };
  if (!BUCKET_NAME.test(bucket as string)) {
    throw new Error(`EXPORT_BUCKET must be a bucket name (no s3:// or key), got "${bucket}"`);
  }
  const rawMax = env.EXPORT_MAX_BYTES?.trim();
  const maxBytes = rawMax ? Number(rawMax) : DEFAULT_EXPORT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new Error(`EXPORT_MAX_BYTES must be a positive integer, got "${rawMax}"`);
  }
  return { kind: 's3', bucket: bucket as string, maxBytes };
}

/** The source (and report writer) for a configuration; the S3 client is built once, here or by the caller. */
export function createExports(config: ExportsConfig, client?: S3Client): Exports {
  if (config.kind === 'files') return { source: new FileSource(config.dir) };
  const exports = new S3Exports(client ?? new S3Client({}), config.bucket, { maxBytes: config.maxBytes });
  return { source: exports, writeReport: (report) => exports.writeReport(report) };
}
