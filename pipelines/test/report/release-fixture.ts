import type { ReleaseEvent } from '../../src/record/events';
import type { GateReading } from '../../src/record/reading';
import type { ReleaseRecord } from '../../src/record/record';

/** 2026-01-01T00:00:00Z: every fixture time is seconds after it. */
export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const at = (seconds: number) => T0 + seconds * 1000;

/** A p99 latency reading as the trace gate records it; without figures when `canary` is undefined. */
export function p99(
  seconds: number,
  verdict: GateReading['verdict'],
  figures?: { canary: number; baseline: number; threshold: number },
): GateReading {
  const reading: GateReading = {
    gate: 'latency',
    metric: 'p99 latency',
    verdict,
    reason: figures
      ? `judge's reason at ${seconds}s`
      : 'too few samples: canary 40, baseline 400, need 100 each',
    unit: 'ms',
    samples: figures ? { canary: 400, baseline: 3600 } : { canary: 40, baseline: 400 },
    at: at(seconds),
    window: { from: T0, to: at(seconds - 30) },
    ...(figures ?? {}),
    details: figures
      ? { estimate: 0.02, interval: [0.018, 0.024], statistic: 1.2e11 }
      : { moreCanarySamples: 60 },
  };
  return reading;
}

export const ALARM_OK: GateReading = {
  gate: 'alarm',
  metric: 'shop-production-orders-5xx',
  unit: 'state',
  state: 'OK',
  verdict: 'pass',
  reason: 'OK',
  at: T0,
  window: { from: T0, to: T0 },
};

function poll(seconds: number, step: number, readings: GateReading[]): ReleaseEvent {
  const weight = step === 0 ? 10 : 50;
  return { at: at(seconds), type: 'poll', message: `step ${step + 1}/3: …`, step, weight, readings };
}

/**
 * orders v1 → v2 on AWS: step 1 (10%) passes after 5 minutes; step 2 (50%) fails its p99 a minute in
 * (412 ms vs 305 ms, 20% allowed) and the release rolls back at 6:00.
 */
export function rolledBackRecord(): ReleaseRecord {
  const passed = p99(300, 'pass', { canary: 310, baseline: 305, threshold: 366 });
  const failed = p99(360, 'fail', { canary: 412, baseline: 305, threshold: 366 });
  return {
    id: `orders/production/v2/${T0}`,
    workload: 'orders',
    environment: 'production',
    platform: 'lambda',
    backend: 'aws',
    method: 'lambda-alias',
    driver: 'engine',
    fromVersion: 'v1',
    toVersion: 'v2',
    actor: 'jane',
    startedAt: T0,
    updatedAt: at(360),
    finishedAt: at(360),
    outcome: 'rolled-back',
    verdict: 'fail',
    reason: 'step 2/3 fail: p99 latency: judge says so',
    plan: [
      { weight: 10, bakeMs: 300_000 },
      { weight: 50, bakeMs: 300_000 },
      { weight: 100, bakeMs: 0 },
    ],
    steps: [
      {
        index: 0,
        weight: 10,
        bakeMs: 300_000,
        startedAt: T0,
        endedAt: at(300),
        verdict: 'pass',
        reason: 'baked',
        polls: 10,
        readings: [ALARM_OK, passed],
      },
      {
        index: 1,
        weight: 50,
        bakeMs: 300_000,
        startedAt: at(300),
        endedAt: at(360),
        verdict: 'fail',
        reason: 'p99 latency: judge says so',
        polls: 2,
        readings: [ALARM_OK, failed],
      },
    ],
    approvals: [],
    limits: [],
    events: [
      { at: T0, type: 'shift', message: 'step 1/3: 10% of traffic on v2', step: 0, weight: 10 },
      poll(30, 0, [ALARM_OK, p99(30, 'inconclusive')]),
      poll(60, 0, [ALARM_OK, p99(60, 'inconclusive', { canary: 300, baseline: 300, threshold: 360 })]),
      poll(300, 0, [ALARM_OK, passed]),
      { at: at(300), type: 'step-passed', message: 'step 1/3 passed', step: 0, weight: 10 },
      { at: at(300), type: 'shift', message: 'step 2/3: 50% of traffic on v2', step: 1, weight: 50 },
      poll(330, 1, [ALARM_OK, p99(330, 'inconclusive', { canary: 380, baseline: 305, threshold: 366 })]),
      poll(360, 1, [ALARM_OK, failed]),
      {
        at: at(360),
        type: 'step-failed',
        message: 'step 2/3 fail: p99 latency: judge says so',
        step: 1,
        weight: 50,
        readings: [ALARM_OK, failed],
      },
      { at: at(360), type: 'rollback', message: 'rolled back: v1 at 100%', weight: 0 },
    ],
  };
}
