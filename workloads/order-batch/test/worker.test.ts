import { EventEmitter } from 'node:events';
import { testTelemetry } from '@securecart/testing/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock, Timer } from '../src/nightly';
import { nextRunAt, parseTimeOfDay } from '../src/schedule';
import type { ReconciliationSource, RecordKind } from '../src/source';
import { type RunningWorker, startWorker } from '../src/worker-app';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

/** A clock and timer that only move when the test says so. */
class FakeTime implements Clock, Timer {
  private pending: Array<{ at: number; callback: () => void; id: number }> = [];
  private ids = 0;
  constructor(private current: number) {}
  now(): Date {
    return new Date(this.current);
  }
  set(callback: () => void, delayMs: number): unknown {
    this.ids += 1;
    this.pending.push({ at: this.current + delayMs, callback, id: this.ids });
    return this.ids;
  }
  clear(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }
  /** The times timers are due, earliest first. */
  due(): string[] {
    return this.pending.map((t) => new Date(t.at).toISOString()).sort();
  }
  /** Moves the clock, firing every timer that falls due on the way (in order). */
  async advanceTo(iso: string): Promise<void> {
    const target = Date.parse(iso);
    for (;;) {
      const next = [...this.pending].sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > target) break;
      this.pending = this.pending.filter((t) => t !== next);
      this.current = next.at;
      next.callback();
      await settle();
    }
    this.current = target;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

const ORDERS = '{"orderId":"o1","customerId":"c1","total":1000,"currency":"USD"}\n';
const PAYMENTS = '{"paymentId":"p1","orderId":"o1","amount":1000,"currency":"USD","type":"capture"}\n';

/** Serves one day from memory; `hold` keeps a read pending until released (a long run). */
function memorySource(hold?: Promise<void>): ReconciliationSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    location: 'memory',
    async read(kind: RecordKind, date: string) {
      reads.push(`${kind}:${date}`);
      await hold;
      return { name: `${date}/${kind}.jsonl`, text: kind === 'orders' ? ORDERS : PAYMENTS };
    },
  };
}

const workers: RunningWorker[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.shutdown('test cleanup');
});

/** A worker on the fake clock with its own telemetry (shutting a worker down flushes and ends its tracing). */
async function worker(time: FakeTime, source: ReconciliationSource, env: NodeJS.ProcessEnv = {}) {
  const { telemetry, spans } = testTelemetry('order-batch', '7.0.0');
  const signals = new EventEmitter();
  const exits: number[] = [];
  const w = await startWorker({
    telemetry,
    source,
    env,
    signals,
    exit: (code) => exits.push(code),
    clock: time,
    timer: time,
    host: '127.0.0.1',
    port: 0,
  });
  workers.push(w);
  return { w, signals, exits, spans, telemetry };
}

describe('schedule', () => {
  it('reads RECONCILE_AT as HH:MM UTC, 02:00 by default, and rejects anything else', () => {
    expect(parseTimeOfDay(undefined)).toEqual({ hour: 2, minute: 0 });
    expect(parseTimeOfDay(' 23:45 ')).toEqual({ hour: 23, minute: 45 });
    for (const bad of ['24:00', '2am', '02:60', '0200']) {
      expect(() => parseTimeOfDay(bad), bad).toThrow(/RECONCILE_AT must be HH:MM/);
    }
  });

  it('next run: later today, else tomorrow (never now), across month and year ends', () => {
    const at = { hour: 2, minute: 0 };
    const next = (now: string) => nextRunAt(new Date(now), at).toISOString();
    expect(next('2025-03-01T01:59:59.999Z')).toBe('2025-03-01T02:00:00.000Z');
    expect(next('2025-03-01T02:00:00.000Z')).toBe('2025-03-02T02:00:00.000Z');
    expect(next('2025-02-28T13:00:00.000Z')).toBe('2025-03-01T02:00:00.000Z');
    expect(next('2025-12-31T23:00:00.000Z')).toBe('2026-01-01T02:00:00.000Z');
  });
});

describe('worker', () => {
  it('runs yesterday at RECONCILE_AT on the fake clock, traced with the release, then schedules the next night', async () => {
    const time = new FakeTime(Date.parse('2025-03-01T01:00:00Z'));
    const source = memorySource();
    const { w, spans } = await worker(time, source, { RECONCILE_AT: '02:30' });
    expect(time.due()).toEqual(['2025-03-01T02:30:00.000Z']);
    await time.advanceTo('2025-03-01T02:29:59Z');
    expect(source.reads).toEqual([]);

    await time.advanceTo('2025-03-01T02:30:00Z');
    expect(source.reads.sort()).toEqual(['orders:2025-02-28', 'payments:2025-02-28']);
    expect(spans.getFinishedSpans().at(-1)?.attributes).toMatchObject({
      release: '7.0.0',
      'batch.date': '2025-02-28',
      'batch.orders': 1,
      'batch.mismatches': 0,
    });
    expect(w.reconciler.status()).toMatchObject({
      state: 'scheduled',
      nextRunAt: '2025-03-02T02:30:00.000Z',
      last: { date: '2025-02-28', exitCode: 0 },
    });
  });

  it('serves /health for the container health check and /status with the schedule', async () => {
    const time = new FakeTime(Date.parse('2025-03-01T12:00:00Z'));
    const { w } = await worker(time, memorySource());
    const health = await fetch(`http://127.0.0.1:${w.port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', service: 'order-batch', release: '7.0.0' });
    const status = await (await fetch(`http://127.0.0.1:${w.port}/status`)).json();
    expect(status).toEqual({ state: 'scheduled', nextRunAt: '2025-03-02T02:00:00.000Z' });
  });

  it('SIGTERM while idle: cancels the schedule, closes the server, exits 0', async () => {
    const time = new FakeTime(Date.parse('2025-03-01T12:00:00Z'));
    const { w, signals, exits } = await worker(time, memorySource());
    signals.emit('SIGTERM');
    expect(await w.shutdown('SIGTERM')).toBe('idle');
    expect(exits).toEqual([0]);
    expect(time.due()).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${w.port}/health`)).rejects.toThrow();
  });

  it('SIGTERM during a run: lets it finish within the grace period, then exits 0', async () => {
    const time = new FakeTime(Date.parse('2025-03-01T01:59:00Z'));
    let release = () => {};
    const source = memorySource(new Promise<void>((resolve) => (release = resolve)));
    const { w, signals, exits } = await worker(time, source);
    await time.advanceTo('2025-03-01T02:00:00Z');
    expect(w.reconciler.status().state).toBe('running');

    signals.emit('SIGTERM');
    await settle();
    expect(exits).toEqual([]);
    release();
    expect(await w.shutdown('SIGTERM')).toBe('finished');
    expect(exits).toEqual([0]);
    expect(w.reconciler.status()).toMatchObject({ state: 'stopped', last: { exitCode: 0 } });
  });

  it('SIGTERM during a run that outlasts the grace period: abandons it cleanly and exits 0', async () => {
    const time = new FakeTime(Date.parse('2025-03-01T01:59:00Z'));
    const source = memorySource(new Promise<void>(() => {}));
    const { w, signals, exits } = await worker(time, source, { SHUTDOWN_GRACE_SECONDS: '90' });
    await time.advanceTo('2025-03-01T02:00:00Z');
    signals.emit('SIGTERM');
    await settle();
    expect(time.due()).toEqual(['2025-03-01T02:01:30.000Z']);
    await time.advanceTo('2025-03-01T02:01:30Z');
    expect(await w.shutdown('SIGTERM')).toBe('abandoned');
    expect(exits).toEqual([0]);
  });

  it('writes one EMF line per run with OrdersReconciled, or BatchFailures when the run fails', async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    try {
      const time = new FakeTime(Date.parse('2025-03-01T01:59:00Z'));
      const broken: ReconciliationSource = {
        location: 'memory',
        read: async () => {
          throw new Error('export bucket unreachable');
        },
      };
      const good = await worker(time, memorySource());
      const bad = await worker(time, broken);
      await time.advanceTo('2025-03-01T02:00:00Z');
      expect(good.w.reconciler.status().last?.exitCode).toBe(0);
      expect(bad.w.reconciler.status().last?.exitCode).toBe(1);
    } finally {
      process.env.POWERTOOLS_METRICS_DISABLED = disabled;
      write.mockRestore();
    }
    const emf = lines
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line));
    const names = emf.map((m) => m._aws.CloudWatchMetrics[0].Metrics.map((d: { Name: string }) => d.Name));
    expect(names).toEqual([
      ['OrdersReconciled', 'Mismatches', 'RunDuration'],
      ['BatchFailures', 'RunDuration'],
    ]);
    for (const m of emf) {
      expect(m._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'SecureCart' });
      expect(m).toMatchObject({ service: 'order-batch', release: '7.0.0' });
    }
  });

  it('refuses a malformed RECONCILE_AT at start', async () => {
    const time = new FakeTime(Date.parse('2025-03-01T12:00:00Z'));
    await expect(worker(time, memorySource(), { RECONCILE_AT: '25:00' })).rejects.toThrow(/RECONCILE_AT/);
  });
});
