import { describe, expect, it } from 'vitest';
import type { JudgedSample, JudgeObjectives } from '../../src/judge/canary-judge';
import { createSequentialJudge } from '../../src/judge/sequential-judge';
import { seededRandom } from '../../src/random/seeded-random';
import { firstFailure, POLL_MS, runStep } from './simulate';

const OBJECTIVES: JudgeObjectives = {
  latency: { p50Increase: 0.02, p99Increase: 0.1 },
  errors: { maxRateIncrease: 0.01 },
  minSamples: 30,
};

/** Both versions 30% slower from the 10th poll on (a slower dependency). */
const STEP_DRIFT = (poll: number) => (poll >= 10 ? 1.3 : 1);

describe('drift that moves both versions alike', () => {
  it('neither fails nor strands a healthy canary', () => {
    let passed = 0;
    let failed = 0;
    for (let seed = 0; seed < 100; seed++) {
      const step = { polls: 30, canaryPerPoll: 150, baselinePerPoll: 1500, drift: STEP_DRIFT };
      const polls = runStep(createSequentialJudge(OBJECTIVES), step, 100 + seed);
      if (firstFailure(polls)) failed++;
      if ((polls.at(-1) ?? []).every((j) => j.verdict === 'pass')) passed++;
    }
    expect(failed).toBeLessThanOrEqual(2);
    expect(passed).toBeGreaterThanOrEqual(97);
  });

  it('still catches a +20% canary at once, and a p99-only one on the tail test', () => {
    const slow = runStep(
      createSequentialJudge(OBJECTIVES),
      { polls: 30, canaryPerPoll: 150, baselinePerPoll: 1500, drift: STEP_DRIFT, canary: { slowdown: 1.2 } },
      7,
    );
    expect(firstFailure(slow)?.poll).toBe(0);
    const tail = runStep(
      createSequentialJudge(OBJECTIVES),
      {
        polls: 30,
        canaryPerPoll: 150,
        baselinePerPoll: 1500,
        drift: STEP_DRIFT,
        canary: { tailSlowdown: 1.5 },
      },
      7,
    );
    expect(firstFailure(tail)?.judgement.metric).toBe('p99 latency');
  });
});

/**
 * Sampling that favours some windows for one version (X-Ray keeps the first request of each second,
 * so a smaller version is traced relatively more when traffic is light, which is when it is fast).
 * Here the canary is traced three times as much in the fast polls as in the slow ones, the baseline
 * evenly; the canary is 10% slower in every window.
 */
function biasedStep(seed: number): { canary: JudgedSample[][]; baseline: JudgedSample[][] } {
  const rng = seededRandom(seed);
  const out = { canary: [] as JudgedSample[][], baseline: [] as JudgedSample[][] };
  for (let poll = 0; poll < 20; poll++) {
    const slow = poll % 2 === 1;
    const draw = (count: number, slowdown: number) =>
      Array.from({ length: count }, () => ({
        at: poll * POLL_MS + Math.floor(rng.uniform() * POLL_MS),
        latencyMs: 120 * Math.exp(0.5 * rng.normal()) * (slow ? 1.5 : 1) * slowdown,
        fault: false,
      }));
    out.canary.push(draw(slow ? 30 : 90, 1.1));
    out.baseline.push(draw(600, 1));
  }
  return out;
}

function logMedian(samples: readonly JudgedSample[]): number {
  const logs = samples.map((s) => Math.log(s.latencyMs)).sort((a, b) => a - b);
  return logs[Math.floor(logs.length / 2)] ?? Number.NaN;
}

describe('comparing within the same time windows', () => {
  it('measures the canary against the baseline of the windows its samples come from', () => {
    const { canary, baseline } = biasedStep(3);
    // Pooled, the canary's extra fast-window samples hide its slowdown entirely.
    const pooled = Math.expm1(logMedian(canary.flat()) - logMedian(baseline.flat()));
    expect(pooled).toBeLessThan(0.02);
    const judge = createSequentialJudge({ latency: { p50Increase: 0.02 }, minSamples: 30 });
    const judgements = canary.map((c, poll) => judge.observe(c, baseline[poll] ?? []));
    const last = judgements.at(-1)?.[0];
    expect(last?.estimate).toBeGreaterThan(0.07);
    expect(last?.estimate).toBeLessThan(0.13);
    expect(last?.verdict).toBe('fail');
  });
});
