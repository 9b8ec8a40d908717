import { GetTraceSummariesCommand, ThrottledException, XRayClient } from '@aws-sdk/client-xray';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTraceGate } from '../../src/gates/trace-gate';
import type { CanaryJudge, JudgedSample } from '../../src/judge/canary-judge';
import type { TraceSample, TraceSource } from '../../src/signals/ports';
import { openTraceCursor } from '../../src/signals/trace-cursor';
import { releaseFilter } from '../../src/signals/xray-filter';
import { PERMISSIONS, XRAY_TIMING, XRayTraces } from '../../src/signals/xray-traces';
import { VirtualClock } from '../../src/time/clock';
import { expectValidRequests, sentRequests } from '../aws/validated-mock';
import { FakeXRay, type IndexedTrace, xrayId } from './fake-xray';

const S = 1000;
const T0 = Date.parse('2026-03-02T10:00:00Z');
const FILTER = 'service("checkout") AND annotation.release = "1.4.0"';

const client = new XRayClient({
  region: 'eu-west-1',
  maxAttempts: 1,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const stub = mockClient(client);
const operationsSent = new Set<string>();

let clock: VirtualClock;
let fake: FakeXRay;

function setUp(pageSize = 100, pageGapMs = 0): XRayTraces {
  clock = new VirtualClock(T0);
  fake = new FakeXRay(clock, pageSize, pageGapMs);
  stub.reset();
  stub.on(GetTraceSummariesCommand).callsFake((input) => fake.handle(input));
  return new XRayTraces({ client, workload: 'checkout', serviceName: 'checkout' });
}

function throttle(): ThrottledException {
  return new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
}

/** `count` requests of checkout, evenly spaced from `from`, each indexed `delay(i)` after it ends. */
function traffic(
  count: number,
  from: number,
  spacingMs: number,
  release = '1.4.0',
  delay = (_i: number) => 0,
) {
  return Array.from({ length: count }, (_, i): IndexedTrace => {
    const start = from + i * spacingMs;
    const responseTimeMs = 125 * (1 + (i % 4));
    return {
      id: xrayId(start, i + (release === '1.4.0' ? 0 : 1_000_000)),
      service: 'checkout',
      release,
      start,
      responseTimeMs,
      visibleAt: start + responseTimeMs + delay(i),
    };
  });
}

beforeEach(() => setUp());
afterEach(() => {
  expectValidRequests(stub, '@aws-sdk/client-xray');
  for (const { operation } of sentRequests(stub)) operationsSent.add(operation);
});

describe('XRayTraces', () => {
  it('reads every page of the window, asking for the workload service and its release only', async () => {
    const source = setUp(100);
    fake.add(...traffic(250, T0, 200));
    clock.advance(120 * S);
    const samples = await source.read({ workload: 'checkout', version: '1.4.0', from: T0, to: T0 + 60 * S });
    const request = {
      StartTime: new Date(T0),
      EndTime: new Date(T0 + 60 * S),
      TimeRangeType: 'Event',
      FilterExpression: FILTER,
    };
    expect(sentRequests(stub)).toEqual([
      { operation: 'GetTraceSummaries', input: request },
      { operation: 'GetTraceSummaries', input: { ...request, NextToken: '100' } },
      { operation: 'GetTraceSummaries', input: { ...request, NextToken: '200' } },
    ]);
    expect(samples).toHaveLength(250);
    expect(new Set(samples.map((s) => s.traceId)).size).toBe(250);
  });

  it('takes latency from ResponseTime and faults from HasFault, and skips what is not this release', async () => {
    const source = setUp();
    const base = { service: 'checkout', release: '1.4.0', responseTimeMs: 250, visibleAt: T0 };
    fake.add(
      { ...base, id: 'ok', start: T0 + 1 * S },
      { ...base, id: 'fault', start: T0 + 2 * S, fault: true, responseTimeMs: 500 },
      { ...base, id: 'client-error', start: T0 + 3 * S, error: true },
      { ...base, id: 'throttled', start: T0 + 4 * S, throttle: true, error: true },
      { ...base, id: 'in-progress', start: T0 + 5 * S, partialUntil: T0 + 300 * S },
      { ...base, id: 'started-before', start: T0 - 5 * S, responseTimeMs: 10_000 },
      // A caller released as 1.4.0 too, calling checkout 2.0.0: the annotation is the caller's.
      {
        ...base,
        id: 'callers-release',
        start: T0 + 6 * S,
        service: 'storefront',
        others: [{ service: 'checkout', release: '2.0.0' }],
      },
      { ...base, id: 'both-1.4.0', start: T0 + 7 * S, others: [{ service: 'storefront', release: '1.4.0' }] },
      { ...base, id: 'baseline', start: T0 + 8 * S, release: '1.3.9' },
      { ...base, id: 'not-indexed-yet', start: T0 + 9 * S, visibleAt: T0 + 600 * S },
      { ...base, id: 'after-window', start: T0 + 61 * S },
    );
    clock.advance(120 * S);
    const samples = await source.read({ workload: 'checkout', version: '1.4.0', from: T0, to: T0 + 60 * S });
    expect(samples.sort((a, b) => a.at - b.at)).toEqual([
      { traceId: 'ok', at: T0 + 1 * S, latencyMs: 250, fault: false },
      { traceId: 'fault', at: T0 + 2 * S, latencyMs: 500, fault: true },
      { traceId: 'client-error', at: T0 + 3 * S, latencyMs: 250, fault: false },
      { traceId: 'throttled', at: T0 + 4 * S, latencyMs: 250, fault: false },
      { traceId: 'both-1.4.0', at: T0 + 7 * S, latencyMs: 250, fault: false },
    ]);
  });

  it('returns late and repeated traces exactly once through the cursor', async () => {
    // 5 requests a second for 10 minutes, each indexed 0-110 s after it ended (inside settle + overlap),
    // read in pages of 50 while 100 ms pass per page, so new traces shift pages and repeat traces.
    const source = setUp(50, 100);
    const stored = traffic(3000, T0, 200, '1.4.0', (i) => (i * 7919) % 110_000);
    fake.add(...stored);
    let returnedBySource = 0;
    const counting: TraceSource = {
      timing: source.timing,
      read: async (window) => {
        const read = await source.read(window);
        returnedBySource += read.length;
        return read;
      },
    };
    const cursor = openTraceCursor(counting, { workload: 'checkout', version: '1.4.0', from: T0 });
    const seen = new Map<string, number>();
    let completeUntil = T0;
    while (clock.now() < T0 + 780 * S) {
      clock.advance(30 * S);
      const batch = await cursor.next(clock.now());
      for (const sample of batch.samples) seen.set(sample.traceId, (seen.get(sample.traceId) ?? 0) + 1);
      completeUntil = batch.completeUntil;
    }
    const expected = stored.filter((trace) => trace.start < completeUntil).map((trace) => trace.id);
    expect(completeUntil).toBeGreaterThan(T0 + 600 * S);
    expect([...seen.keys()].sort()).toEqual(expected.sort());
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect(returnedBySource).toBeGreaterThan(expected.length);
  });

  it('makes a throttle that outlasts the retries one error reading, and loses nothing', async () => {
    const source = setUp();
    fake.add(...traffic(600, T0, 200), ...traffic(600, T0, 200, '1.3.9'));
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
    fake.failCalls(throttle(), 2);
    clock.advance(90 * S);
    expect(await gate.poll(clock.now())).toEqual([
      {
        gate: 'latency',
        metric: 'traces',
        verdict: 'error',
        reason:
          'could not read traces of checkout: could not read X-Ray traces of checkout 1.4.0: ThrottledException: Rate exceeded',
        at: clock.now(),
        window: { from: T0, to: clock.now() },
      },
    ]);
    expect(observed.canary).toHaveLength(0);
    clock.advance(30 * S);
    await gate.poll(clock.now());
    // Everything that started in the first 90 s (to now - settle), once: 450 of each version.
    expect(observed.canary).toHaveLength(450);
    expect(observed.baseline).toHaveLength(450);
  });

  it('fails the whole read when a later page is throttled, so the cursor reads the window again', async () => {
    const source = setUp(100);
    fake.add(...traffic(250, T0, 200));
    const cursor = openTraceCursor(source, { workload: 'checkout', version: '1.4.0', from: T0 });
    fake.failPage(2, throttle());
    clock.advance(80 * S);
    const failed = cursor.next(clock.now());
    await expect(failed).rejects.toMatchObject({ name: 'AwsCallError', kind: 'throttled' });
    const batch = await cursor.next(clock.now());
    expect(batch.samples).toHaveLength(250);
    expect(batch.completeUntil).toBe(T0 + 50 * S);
  });

  it('keeps four fields per trace when a window holds many thousands of traces', async () => {
    const source = setUp(100);
    fake.add(...traffic(20_000, T0, 5));
    clock.advance(300 * S);
    const samples = await source.read({ workload: 'checkout', version: '1.4.0', from: T0, to: T0 + 100 * S });
    expect(samples).toHaveLength(20_000);
    expect(stub.commandCalls(GetTraceSummariesCommand)).toHaveLength(200);
    const shapes = new Set(samples.map((sample: TraceSample) => Object.keys(sample).sort().join(',')));
    expect([...shapes]).toEqual(['at,fault,latencyMs,traceId']);
  });

  it('refuses names it cannot quote and windows of another workload', async () => {
    const source = setUp();
    expect(() => new XRayTraces({ client, workload: 'checkout', serviceName: 'check"out' })).toThrow(
      'the X-Ray service name "check\\"out" cannot be put in a trace query: it must be non-empty, without quotes, backslashes or control characters',
    );
    await expect(
      source.read({ workload: 'checkout', version: '1\\4', from: T0, to: T0 + S }),
    ).rejects.toThrow('the release version "1\\\\4" cannot be put in a trace query');
    await expect(
      source.read({ workload: 'payments', version: '1.4.0', from: T0, to: T0 + S }),
    ).rejects.toThrow('the X-Ray trace source of checkout was asked for traces of payments');
    expect(sentRequests(stub)).toEqual([]);
  });

  it('keeps the filter expression within the API limit for the longest names', () => {
    // FilterExpression: length 1 to 2,000 (X-Ray API reference, GetTraceSummaries); a segment name is
    // at most 200 characters (X-Ray segment documents) and a release version at most 64 (release-inputs).
    expect(releaseFilter('s'.repeat(200), 'v'.repeat(64)).length).toBeLessThanOrEqual(2000);
  });

  it('tells the cursor how late X-Ray data is', () => {
    expect(setUp().timing).toEqual(XRAY_TIMING);
    expect(XRAY_TIMING).toEqual({ settleMs: 30_000, overlapMs: 90_000 });
  });

  it('sends only the operations its PERMISSIONS list', () => {
    expect([...operationsSent].map((operation) => `xray:${operation}`)).toEqual(
      PERMISSIONS.map((p) => p.action),
    );
  });
});
