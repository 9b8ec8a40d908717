import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTraceGate } from '../../src/gates/trace-gate';
import type { CanaryJudge, JudgedSample } from '../../src/judge/canary-judge';
import { evenSlices, PERMISSIONS, SPAN_TIMING, SpanTraces } from '../../src/signals/span-traces';
import { openTraceCursor } from '../../src/signals/trace-cursor';
import { expectValidRequests, sentRequests } from '../aws/validated-mock';
import { query, S, SpanWorld, span, T0, throttling, traffic, WINDOW, xrayId } from './span-fixtures';

const world = new SpanWorld();
const operationsSent = new Set<string>();

beforeEach(() => world.setUp());
afterEach(() => {
  expectValidRequests(world.stub, '@aws-sdk/client-cloudwatch-logs');
  for (const { operation } of sentRequests(world.stub)) operationsSent.add(operation);
});

describe('SpanTraces', () => {
  it('makes one sample per request from its SERVER span: X-Ray trace id, latency, 5xx and unhandled errors', async () => {
    const source = world.setUp();
    world.fake.add(
      span({ trace: 1, startMs: T0 + 1 * S, durationMs: 250, http: 200 }),
      span({
        trace: 1,
        span: '1-client',
        kind: 'CLIENT',
        startMs: T0 + 1 * S + 10,
        durationMs: 100,
        http: 503,
        status: 'ERROR',
      }),
      span({ trace: 1, span: '1-internal', kind: 'INTERNAL', startMs: T0 + 1 * S + 5, durationMs: 200 }),
      span({ trace: 2, startMs: T0 + 2 * S, durationMs: 125, http: 503, status: 'ERROR' }),
      span({ trace: 3, startMs: T0 + 3 * S, durationMs: 125, http: 404, status: 'ERROR' }),
      span({ trace: 4, startMs: T0 + 4 * S, durationMs: 125, http: 502, httpKey: 'http.status_code' }),
      span({ trace: 5, startMs: T0 + 5 * S, durationMs: 0, inProgress: true }),
      span({ trace: 5, startMs: T0 + 5 * S, durationMs: 375, status: 'ERROR' }),
      span({ trace: 6, startMs: T0 + 6 * S, durationMs: 125, service: 'storefront' }),
      span({ trace: 7, startMs: T0 + 7 * S, durationMs: 125, release: '1.3.9' }),
      span({ trace: 8, startMs: T0 + 100, durationMs: 125 }),
      span({ trace: 9, startMs: T0 + 9 * S, durationMs: 125, visibleAt: T0 + 900 * S }),
    );
    world.clock.advance(180 * S);
    const samples = await source.read({ ...WINDOW, from: T0 + 500 });
    expect(samples.sort((a, b) => a.at - b.at)).toEqual([
      { traceId: xrayId(1), at: T0 + 1 * S, latencyMs: 250, fault: false },
      { traceId: xrayId(2), at: T0 + 2 * S, latencyMs: 125, fault: true },
      { traceId: xrayId(3), at: T0 + 3 * S, latencyMs: 125, fault: false },
      { traceId: xrayId(4), at: T0 + 4 * S, latencyMs: 125, fault: true },
      { traceId: xrayId(5), at: T0 + 5 * S, latencyMs: 375, fault: true },
    ]);
  });

  it('takes every annotated span for a Lambda, one sample per trace from the earliest', async () => {
    const source = world.setUp({ entrySpans: 'annotated', serviceName: 'fraud' });
    world.fake.add(
      span({
        trace: 1,
        kind: 'INTERNAL',
        service: 'fraud',
        startMs: T0 + 1 * S,
        durationMs: 500,
        status: 'ERROR',
      }),
      span({
        trace: 1,
        span: '1-inner',
        kind: 'INTERNAL',
        service: 'fraud',
        startMs: T0 + 1 * S + 50,
        durationMs: 125,
      }),
      span({ trace: 2, kind: 'INTERNAL', service: 'fraud', startMs: T0 + 2 * S, durationMs: 250 }),
      // Started in the same millisecond: the longer span encloses the other.
      span({ trace: 3, kind: 'INTERNAL', service: 'fraud', startMs: T0 + 3 * S, durationMs: 400 }),
      span({
        trace: 3,
        span: '3-inner',
        kind: 'INTERNAL',
        service: 'fraud',
        startMs: T0 + 3 * S,
        durationMs: 100,
      }),
    );
    world.clock.advance(180 * S);
    const samples = await source.read({ ...WINDOW, workload: 'fraud' });
    expect(sentRequests(world.stub)[0]).toEqual({
      operation: 'StartQuery',
      input: query(T0, T0 + 60 * S, '', 'fraud'),
    });
    expect(samples.sort((a, b) => a.at - b.at)).toEqual([
      { traceId: xrayId(1), at: T0 + 1 * S, latencyMs: 500, fault: true },
      { traceId: xrayId(2), at: T0 + 2 * S, latencyMs: 250, fault: false },
      { traceId: xrayId(3), at: T0 + 3 * S, latencyMs: 400, fault: false },
    ]);
  });

  it('splits a window that holds more spans than one query returns', async () => {
    const source = world.setUp({ limit: 1000 });
    world.fake.add(...traffic(2500, T0, 24));
    world.clock.advance(180 * S);
    const samples = await source.read(WINDOW);
    const starts = sentRequests(world.stub)
      .filter((request) => request.operation === 'StartQuery')
      .map((request) => request.input);
    const limited = (from: number, to: number) => ({ ...query(from, to), limit: 1000 });
    // 2,500 matches for a limit of 1,000: four slices of 15 s, each with about 625.
    expect(starts).toEqual([
      limited(T0, T0 + 60 * S),
      limited(T0, T0 + 15 * S),
      limited(T0 + 15 * S, T0 + 30 * S),
      limited(T0 + 30 * S, T0 + 45 * S),
      limited(T0 + 45 * S, T0 + 60 * S),
    ]);
    expect(samples).toHaveLength(2500);
    expect(new Set(samples.map((sample) => sample.traceId)).size).toBe(2500);
  });

  it('fails when a single millisecond holds more spans than one query returns', async () => {
    const source = world.setUp({ limit: 10 });
    world.fake.add(
      ...Array.from({ length: 50 }, (_, i) => span({ trace: i + 1, startMs: T0 + 3 * S, durationMs: 125 })),
    );
    world.clock.advance(180 * S);
    await expect(source.read(WINDOW)).rejects.toThrow(
      'more than 10 spans of checkout 1.4.0 started within 1 ms (from 2026-03-02T10:00:03.000Z); one Logs Insights query cannot return them all',
    );
  });

  it('makes a throttle that outlasts the retries one error reading, and loses nothing', async () => {
    const source = world.setUp();
    world.fake.add(...traffic(120, T0, 1000), ...traffic(120, T0, 1000, '1.3.9'));
    const observed = { canary: [] as JudgedSample[], baseline: [] as JudgedSample[] };
    const judge: CanaryJudge = {
      observe(canary, baseline) {
        observed.canary.push(...canary);
        observed.baseline.push(...baseline);
        return [];
      },
    };
    const gate = createTraceGate(
      source,
      judge,
      { workload: 'checkout', canaryVersion: '1.4.0', baselineVersion: '1.3.9' },
      T0,
    );
    world.fake.fail('StartQuery', throttling(), 2);
    world.clock.advance(120 * S);
    const [reading] = await gate.poll(world.clock.now());
    expect(reading).toMatchObject({
      verdict: 'error',
      reason:
        'could not read traces of checkout: could not start a Logs Insights query on aws/spans for spans of checkout 1.4.0: ThrottlingException: Rate exceeded',
    });
    world.clock.advance(30 * S);
    await gate.poll(world.clock.now());
    // Everything that started in the first 90 s (to now - settle), once.
    expect(observed.canary).toHaveLength(90);
    expect(observed.baseline).toHaveLength(90);
  });

  it('says how to get an aws/spans log group when there is none', async () => {
    const source = world.setUp();
    world.fake.logGroupMissing = true;
    await expect(source.read(WINDOW)).rejects.toThrow(
      'could not start a Logs Insights query on aws/spans for spans of checkout 1.4.0: ResourceNotFoundException: The specified log group does not exist. ' +
        'The aws/spans log group exists once CloudWatch Transaction Search is turned on in the account and Region; turn it on, or read traces from X-Ray (trace source "xray")',
    );
  });

  it.each<'start' | 'end'>(['start', 'end'])(
    'returns late spans exactly once through the cursor when @timestamp is the span %s',
    async (timestamp) => {
      // 2 requests a second for 10 minutes, each written 0-140 s after it ended (inside settle + overlap).
      const source = world.setUp({ timestamp });
      const stored = traffic(1200, T0, 500, '1.4.0', (i) => (i * 7919) % 140_000);
      world.fake.add(...stored);
      const cursor = openTraceCursor(source, { workload: 'checkout', version: '1.4.0', from: T0 });
      const seen = new Map<string, number>();
      let completeUntil = T0;
      while (world.clock.now() < T0 + 800 * S) {
        world.clock.advance(30 * S);
        const batch = await cursor.next(world.clock.now());
        for (const sample of batch.samples) seen.set(sample.traceId, (seen.get(sample.traceId) ?? 0) + 1);
        completeUntil = batch.completeUntil;
      }
      const expected = stored
        .filter(({ record }) => record.startTimeUnixNano / 1e6 < completeUntil)
        .map(({ record }) => `1-${record.traceId.slice(0, 8)}-${record.traceId.slice(8)}`);
      expect(completeUntil).toBeGreaterThan(T0 + 600 * S);
      expect([...seen.keys()].sort()).toEqual(expected.sort());
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
    },
  );

  it('refuses names it cannot quote and windows of another workload', async () => {
    const source = world.setUp();
    expect(
      () =>
        new SpanTraces({
          client: world.client,
          clock: world.clock,
          workload: 'checkout',
          serviceName: 'a\nb',
          entrySpans: 'server',
        }),
    ).toThrow('the service name "a\\nb" cannot be put in a trace query');
    await expect(source.read({ ...WINDOW, version: 'x"y' })).rejects.toThrow(
      'the release version "x\\"y" cannot be put',
    );
    await expect(source.read({ ...WINDOW, workload: 'auth' })).rejects.toThrow(
      'the span trace source of checkout was asked for spans of auth',
    );
    expect(sentRequests(world.stub)).toEqual([]);
  });

  it('cuts windows into whole-millisecond slices', () => {
    expect(evenSlices(0, 60_000, 4)).toEqual([
      [0, 15_000],
      [15_000, 30_000],
      [30_000, 45_000],
      [45_000, 60_000],
    ]);
    expect(evenSlices(0, 3, 5)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(evenSlices(7, 8, 5)).toEqual([[7, 8]]);
  });

  it('tells the cursor how late spans arrive', () => {
    expect(world.setUp().timing).toEqual(SPAN_TIMING);
    expect(SPAN_TIMING).toEqual({ settleMs: 60_000, overlapMs: 90_000 });
  });

  it('sends only operations its PERMISSIONS list', () => {
    const listed = PERMISSIONS.map((p) => p.action);
    expect([...operationsSent].filter((operation) => !listed.includes(`logs:${operation}`))).toEqual([]);
  });
});
