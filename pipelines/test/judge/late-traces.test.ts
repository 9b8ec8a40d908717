import { describe, expect, it } from 'vitest';
import type { Judgement, JudgeObjectives } from '../../src/judge/canary-judge';
import { createSequentialJudge } from '../../src/judge/sequential-judge';
import type { TraceSample, TraceSource } from '../../src/signals/ports';
import { SyntheticTraces, type VersionProfile } from '../../src/signals/synthetic-traces';
import { openTraceCursor } from '../../src/signals/trace-cursor';

const T0 = Date.UTC(2025, 2, 1, 12);
const S = 1_000;
const STABLE: VersionProfile = { medianMs: 120, sigma: 0.5, faultRate: 0.002 };
const OBJECTIVES: JudgeObjectives = {
  latency: { p50Increase: 0.1, p99Increase: 0.3 },
  errors: { maxRateIncrease: 0.02 },
  minSamples: 50,
};

const ARRIVAL = { minDelayMs: 2 * S, maxDelayMs: 45 * S };

const traffic = (canary: VersionProfile) => ({
  requestsPerSecond: 100,
  seed: 7,
  shareAt: (version: string) => (version === 'v2' ? 0.1 : 0.9),
  profiles: { v1: STABLE, v2: canary },
});

/**
 * A 15-minute step polled every 30 s through two cursors over an X-Ray-like source: traces indexed
 * 2–45 s late (within settle + overlap), 15% returned twice, every read shuffled.
 */
async function bake(canaryProfile: VersionProfile) {
  let now = T0;
  const traces = new SyntheticTraces({
    ...traffic(canaryProfile),
    now: () => now,
    arrival: { ...ARRIVAL, duplicateShare: 0.15, shuffle: true },
    timing: { settleMs: 20 * S, overlapMs: 30 * S },
  });
  let served = 0;
  const counted: TraceSource = {
    timing: traces.timing,
    async read(window) {
      const samples = await traces.read(window);
      served += samples.length;
      return samples;
    },
  };
  const canary = openTraceCursor(counted, { workload: 'search', version: 'v2', from: T0 });
  const baseline = openTraceCursor(counted, { workload: 'search', version: 'v1', from: T0 });
  const judge = createSequentialJudge(OBJECTIVES);
  const delivered: { canary: TraceSample[]; baseline: TraceSample[] } = { canary: [], baseline: [] };
  let judgements: Judgement[] = [];
  let completeUntil = T0;
  for (let poll = 1; poll <= 30; poll += 1) {
    now = T0 + poll * 30 * S;
    const [c, b] = await Promise.all([canary.next(now), baseline.next(now)]);
    delivered.canary.push(...c.samples);
    delivered.baseline.push(...b.samples);
    judgements = judge.observe(c.samples, b.samples);
    completeUntil = c.completeUntil;
  }
  return { judgements, delivered, served, completeUntil, now };
}

const idsOf = (samples: readonly TraceSample[]) => samples.map((s) => s.traceId).sort();

describe('sequential judge fed by trace cursors over late, repeated, shuffled traces', () => {
  it('passes a healthy canary, counting every trace once', async () => {
    const { judgements, delivered, served, completeUntil, now } = await bake(STABLE);
    expect(judgements.map((j) => [j.metric, j.verdict])).toEqual([
      ['p50 latency', 'pass'],
      ['p99 latency', 'pass'],
      ['fault rate', 'pass'],
    ]);
    const counts = { canary: delivered.canary.length, baseline: delivered.baseline.length };
    for (const judgement of judgements) expect(judgement.samples).toEqual(counts);
    // Every trace of the step indexed by the last poll, each once, although the source served many more.
    // (Those indexed more than settleMs late, from the last 25 s, come in the next poll.)
    const all = new SyntheticTraces({ ...traffic(STABLE), arrival: ARRIVAL, now: () => now });
    const window = { workload: 'search', from: T0, to: completeUntil };
    expect(idsOf(delivered.canary)).toEqual(idsOf(await all.read({ ...window, version: 'v2' })));
    expect(idsOf(delivered.baseline)).toEqual(idsOf(await all.read({ ...window, version: 'v1' })));
    expect(counts.canary).toBeGreaterThan(8_000);
    expect(served).toBeGreaterThan(1.5 * (counts.canary + counts.baseline));
  });

  it('fails a canary 60% slower on latency', async () => {
    const { judgements } = await bake({ ...STABLE, medianMs: STABLE.medianMs * 1.6 });
    expect(judgements[0]?.metric).toBe('p50 latency');
    expect(judgements[0]?.verdict).toBe('fail');
  });
});
