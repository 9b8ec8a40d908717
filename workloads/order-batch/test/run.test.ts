import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testTelemetry } from '@securecart/testing/server';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ReconciliationReport } from '../src/reconcile';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_UNEXPECTED, runBatch, yesterday } from '../src/run';
import { FileSource, type ReconciliationSource } from '../src/source';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const dir = mkdtempSync(join(tmpdir(), 'order-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a day in the bucket's layout: <dir>/orders/<date>.jsonl, <dir>/payments/<date>.jsonl. */
function day(date: string, orders: unknown[], payments: string): void {
  mkdirSync(join(dir, 'orders'), { recursive: true });
  mkdirSync(join(dir, 'payments'), { recursive: true });
  writeFileSync(join(dir, 'orders', `${date}.jsonl`), orders.map((o) => JSON.stringify(o)).join('\n'));
  writeFileSync(join(dir, 'payments', `${date}.jsonl`), payments);
}

const { telemetry, spans } = testTelemetry('order-batch', '6.1.0');

describe('runBatch with the file source', () => {
  it('reconciles a day from disk, writes the report and traces the run with the release', async () => {
    day(
      '2025-02-01',
      [
        { orderId: 'o1', customerId: 'c1', total: 1000, currency: 'USD' },
        { orderId: 'o2', customerId: 'c2', total: 400, currency: 'USD' },
      ],
      '{"paymentId":"p1","orderId":"o1","amount":1000,"currency":"USD","type":"capture"}\n',
    );
    const reports: ReconciliationReport[] = [];
    const code = await runBatch({
      telemetry,
      source: new FileSource(dir),
      date: '2025-02-01',
      writeReport: async (r) => {
        reports.push(r);
      },
    });
    expect(code).toBe(EXIT_OK);
    expect(reports[0]).toMatchObject({
      orders: 2,
      matched: 1,
      mismatches: [{ kind: 'ordered_not_paid', orderId: 'o2' }],
    });
    const span = spans.getFinishedSpans().at(-1);
    expect(span?.attributes).toMatchObject({
      release: '6.1.0',
      'batch.date': '2025-02-01',
      'batch.mismatches': 1,
    });
  });

  it('exits 2 on a malformed line, naming file and line', async () => {
    day('2025-02-02', [{ orderId: 'o1', customerId: 'c1', total: 1, currency: 'USD' }], 'oops\n');
    expect(await runBatch({ telemetry, source: new FileSource(dir), date: '2025-02-02' })).toBe(
      EXIT_BAD_INPUT,
    );
    expect(spans.getFinishedSpans().at(-1)?.status.message).toBe(
      `${join(dir, 'payments', '2025-02-02.jsonl')}:1: not valid JSON`,
    );
  });

  it('exits 2 when a day is missing (naming the export) or the date is malformed', async () => {
    expect(await runBatch({ telemetry, source: new FileSource(dir), date: '2025-03-09' })).toBe(
      EXIT_BAD_INPUT,
    );
    expect(spans.getFinishedSpans().at(-1)?.status.message).toMatch(
      /^no (orders|payments) export for 2025-03-09 in .*\/(orders|payments)\/2025-03-09\.jsonl$/,
    );
    expect(await runBatch({ telemetry, source: new FileSource(dir), date: '09/03/2025' })).toBe(
      EXIT_BAD_INPUT,
    );
  });

  it('exits 1 when the source fails unexpectedly', async () => {
    const broken: ReconciliationSource = {
      location: 'memory',
      read: async () => {
        throw new Error('socket hang up');
      },
    };
    expect(await runBatch({ telemetry, source: broken, date: '2025-02-01' })).toBe(EXIT_UNEXPECTED);
  });
});

describe('yesterday', () => {
  it('is the previous UTC date', () => {
    expect(yesterday(new Date('2025-03-01T00:30:00Z'))).toBe('2025-02-28');
  });
});
