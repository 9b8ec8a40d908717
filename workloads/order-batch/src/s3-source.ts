import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { exportKey, type RecordKind, reportKey } from './export-layout';
import type { ReconciliationReport } from './reconcile';
import { ExportTooLargeError, MissingExportError, type ReconciliationSource } from './source';

/** 128 MiB: a day's export is read into memory as one string (the task reserves 1 GiB). */
export const DEFAULT_EXPORT_MAX_BYTES = 128 * 1024 * 1024;

export interface S3ExportsOptions {
  maxBytes?: number;
}

/**
 * The day's exports in S3 (`s3://<bucket>/orders/<date>.jsonl`, `payments/<date>.jsonl`) and its report
 * (`reports/<date>.json`). Throttling and 5xx are retried by the SDK; a missing object is a
 * MissingExportError (the task role has s3:ListBucket, so S3 answers NoSuchKey rather than AccessDenied).
 */
export class S3Exports implements ReconciliationSource {
  private readonly maxBytes: number;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    options: S3ExportsOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_EXPORT_MAX_BYTES;
  }

  get location(): string {
    return `s3://${this.bucket}`;
  }

  async read(kind: RecordKind, date: string): Promise<{ name: string; text: string }> {
    const key = exportKey(kind, date);
    const name = `s3://${this.bucket}/${key}`;
    const object = await this.getObject(key, kind, date, name);
    if (object.ContentLength !== undefined && object.ContentLength > this.maxBytes) {
      destroy(object.Body);
      throw new ExportTooLargeError(name, this.maxBytes, object.ContentLength);
    }
    return { name, text: await readText(object.Body, name, this.maxBytes) };
  }

  private async getObject(key: string, kind: RecordKind, date: string, name: string) {
    try {
      return await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') throw new MissingExportError(kind, date, name);
      throw new Error(`could not read ${name}: ${(error as Error).name}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Writes the day's report to `reports/<date>.json` (overwrites a re-run; the bucket keeps versions). */
  async writeReport(report: ReconciliationReport): Promise<void> {
    const key = reportKey(report.date);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: `${JSON.stringify(report, null, 2)}\n`,
          ContentType: 'application/json',
        }),
      );
    } catch (error) {
      throw new Error(`could not write s3://${this.bucket}/${key}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

function destroy(body: unknown): void {
  (body as { destroy?: () => void } | undefined)?.destroy?.();
}

/** The object's body as UTF-8 text, stopping (and closing the stream) as soon as it passes maxBytes. */
async function readText(body: unknown, name: string, maxBytes: number): Promise<string> {
  if (body === undefined || body === null) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    size += buffer.length;
    if (size > maxBytes) {
      destroy(body);
      throw new ExportTooLargeError(name, maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
