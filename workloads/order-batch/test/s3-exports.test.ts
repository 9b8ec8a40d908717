import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { testTelemetry } from '@securecart/testing/server';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createExports, exportsConfigFromEnv } from '../src/exports-config';
import { InputError } from '../src/records';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_UNEXPECTED, runBatch } from '../src/run';
import { DEFAULT_EXPORT_MAX_BYTES, S3Exports } from '../src/s3-source';
import { ExportTooLargeError, FileSource, MissingExportError } from '../src/source';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const BUCKET = 'securecart-staging-order-exports-111111111111';
const DATE = '2026-11-28';
const ORDERS =
  '{"orderId":"o1","customerId":"c1","total":1000,"currency":"USD"}\n' +
  '{"orderId":"o2","customerId":"c2","total":400,"currency":"USD"}\n';
const PAYMENTS = '{"paymentId":"p1","orderId":"o1","amount":1000,"currency":"USD","type":"capture"}\n';

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());

/** A GetObject body as the SDK gives it in Node: a Readable of byte chunks (tracked for destroy()). */
function body(text: string, chunkSize = 16): Readable {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

// The SDK's body type is a mixin of Readable; a plain Readable is what it wraps at runtime.
// biome-ignore lint/suspicious/noExplicitAny: see above
const asBody = (readable: Readable) => readable as any;

/** Serves these keys of BUCKET; any other GetObject is NoSuchKey (as S3 answers a role with s3:ListBucket). */
function serve(objects: Record<string, string>): void {
  s3.on(GetObjectCommand).rejects(
    new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }),
  );
  for (const [key, text] of Object.entries(objects)) {
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: key }).callsFake(() => ({
      Body: asBody(body(text)),
      ContentLength: Buffer.byteLength(text),
    }));
  }
}

const exports = (maxBytes?: number) =>
  new S3Exports(new S3Client({ region: 'eu-west-1' }), BUCKET, maxBytes ? { maxBytes } : {});

describe('S3Exports.read', () => {
  it('gets orders/<date>.jsonl and payments/<date>.jsonl from the bucket and returns the text', async () => {
    serve({ [`orders/${DATE}.jsonl`]: ORDERS, [`payments/${DATE}.jsonl`]: PAYMENTS });
    const source = exports();
    expect(await source.read('orders', DATE)).toEqual({
      name: `s3://${BUCKET}/orders/${DATE}.jsonl`,
      text: ORDERS,
    });
    expect(await source.read('payments', DATE)).toEqual({
      name: `s3://${BUCKET}/payments/${DATE}.jsonl`,
      text: PAYMENTS,
    });
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: `orders/${DATE}.jsonl` },
      { Bucket: BUCKET, Key: `payments/${DATE}.jsonl` },
    ]);
  });

  it('a missing object for the day is a MissingExportError naming the day and the object', async () => {
    serve({});
    const error = await exports()
      .read('orders', DATE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingExportError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `no orders export for ${DATE} in s3://${BUCKET}/orders/${DATE}.jsonl`,
    );
    expect(error).toMatchObject({ kind: 'orders', date: DATE });
  });

  it('refuses an object whose ContentLength is over the limit without reading it', async () => {
    const stream = body(ORDERS);
    s3.on(GetObjectCommand).resolves({ Body: asBody(stream), ContentLength: 200 });
    const error = await exports(100)
      .read('orders', DATE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportTooLargeError);
    expect((error as Error).message).toBe(
      `s3://${BUCKET}/orders/${DATE}.jsonl is 200 bytes, over the 100-byte limit (EXPORT_MAX_BYTES); ` +
        'split the export or raise the limit together with the task memory',
    );
    expect(stream.destroyed).toBe(true);
  });

  it('stops reading a stream (no ContentLength) as soon as it passes the limit', async () => {
    const stream = body('x'.repeat(1000));
    s3.on(GetObjectCommand).resolves({ Body: asBody(stream) });
    await expect(exports(100).read('payments', DATE)).rejects.toThrow(
      `s3://${BUCKET}/payments/${DATE}.jsonl is larger than the 100-byte limit`,
    );
    expect(stream.destroyed).toBe(true);
  });

  it('reports any other failure (after the SDK retries) as unexpected, saying what was being read', async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'Access Denied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const error = await exports()
      .read('orders', DATE)
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `could not read s3://${BUCKET}/orders/${DATE}.jsonl: AccessDenied: Access Denied`,
    );
  });
});

describe('runBatch on S3 exports', () => {
  const { telemetry, spans } = testTelemetry('order-batch', '8.0.0');

  it('reconciles the day from the bucket and writes reports/<date>.json', async () => {
    serve({ [`orders/${DATE}.jsonl`]: ORDERS, [`payments/${DATE}.jsonl`]: PAYMENTS });
    s3.on(PutObjectCommand).resolves({});
    const { source, writeReport } = createExports(
      { kind: 's3', bucket: BUCKET, maxBytes: DEFAULT_EXPORT_MAX_BYTES },
      new S3Client({ region: 'eu-west-1' }),
    );
    expect(source.location).toBe(`s3://${BUCKET}`);
    const code = await runBatch({ telemetry, source, date: DATE, ...(writeReport ? { writeReport } : {}) });
    expect(code).toBe(EXIT_OK);
    const report = {
      date: DATE,
      orders: 2,
      payments: 1,
      matched: 1,
      mismatches: [
        {
          kind: 'ordered_not_paid',
          orderId: 'o2',
          expected: 400,
          currency: 'USD',
          detail: 'no payment recorded for this order',
        },
      ],
    };
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: BUCKET,
        Key: `reports/${DATE}.json`,
        Body: `${JSON.stringify(report, null, 2)}\n`,
        ContentType: 'application/json',
      },
    ]);
  });

  it('a missing export fails the run as bad input (exit 2, BatchFailures), naming the export', async () => {
    serve({ [`payments/${DATE}.jsonl`]: PAYMENTS });
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    let code: number;
    try {
      // A telemetry created with metrics enabled (Powertools reads the variable at construction).
      const enabled = testTelemetry('order-batch', '8.0.0');
      code = await runBatch({ telemetry: enabled.telemetry, source: exports(), date: DATE });
    } finally {
      process.env.POWERTOOLS_METRICS_DISABLED = disabled;
      write.mockRestore();
    }
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    const emf = lines.map((l) => JSON.parse(l)).find((l) => l._aws);
    expect(emf).toMatchObject({ service: 'order-batch', release: '8.0.0', BatchFailures: 1 });
  });

  it('a failed report write fails the run (exit 1), the report is still logged', async () => {
    serve({ [`orders/${DATE}.jsonl`]: ORDERS, [`payments/${DATE}.jsonl`]: PAYMENTS });
    s3.on(PutObjectCommand).rejects(new Error('SlowDown'));
    const source = exports();
    const code = await runBatch({
      telemetry,
      source,
      date: DATE,
      writeReport: (r) => source.writeReport(r),
    });
    expect(code).toBe(EXIT_UNEXPECTED);
    expect(spans.getFinishedSpans().at(-1)?.status.message).toBe(
      `could not write s3://${BUCKET}/reports/${DATE}.json: SlowDown`,
    );
  });
});

describe('exportsConfigFromEnv', () => {
  it('EXPORT_BUCKET → S3 (128 MiB limit unless EXPORT_MAX_BYTES), BATCH_INPUT_DIR → files', () => {
    expect(exportsConfigFromEnv({ EXPORT_BUCKET: BUCKET })).toEqual({
      kind: 's3',
      bucket: BUCKET,
      maxBytes: 128 * 1024 * 1024,
    });
    expect(exportsConfigFromEnv({ EXPORT_BUCKET: BUCKET, EXPORT_MAX_BYTES: '1000' })).toMatchObject({
      maxBytes: 1000,
    });
    expect(exportsConfigFromEnv({ BATCH_INPUT_DIR: ' ./exports ' })).toEqual({
      kind: 'files',
      dir: './exports',
    });
    expect(createExports({ kind: 'files', dir: './exports' }).source).toBeInstanceOf(FileSource);
  });

  it('refuses to start with neither, both, or a malformed value, saying what to set', () => {
    expect(() => exportsConfigFromEnv({})).toThrow(
      /set exactly one of EXPORT_BUCKET .* or BATCH_INPUT_DIR .*, got neither/,
    );
    expect(() => exportsConfigFromEnv({ EXPORT_BUCKET: BUCKET, BATCH_INPUT_DIR: '/data' })).toThrow(
      `set exactly one of EXPORT_BUCKET (S3) or BATCH_INPUT_DIR (files), got both ("${BUCKET}", "/data")`,
    );
    expect(() => exportsConfigFromEnv({ EXPORT_BUCKET: `s3://${BUCKET}/orders` })).toThrow(
      /EXPORT_BUCKET must be a bucket name/,
    );
    expect(() => exportsConfigFromEnv({ EXPORT_BUCKET: BUCKET, EXPORT_MAX_BYTES: '1e3x' })).toThrow(
      /EXPORT_MAX_BYTES must be a positive integer/,
    );
  });
});
