import { describe, expect, it } from 'vitest';
import type { JudgeObjectives } from '../../src/judge/canary-judge';
import { createSequentialJudge } from '../../src/judge/sequential-judge';
import { everPassEvidence, pareto, runStep } from './simulate';

/**
 * A pass must be something users can rely on: each test passes only while its always-valid pass
 * statistic shows the regression it guards against is ruled out, so a canary exactly at that bound
 * reaches the pass threshold (1/(1 − 0.95) = 20×) in at most 5% of steps, however often polled.
 * These steps poll 30 times; the count allows binomial noise (P(X > 25 | n = 300, p = 5%) < 0.5%).
 */
describe('the pass rule holds its error at the pass bound', () => {
  const STEP = { polls: 30, canaryPerPoll: 60, baselinePerPoll: 600 };

  it('typical latency: a canary exactly (1 + allowance) × 1.2 slower', () => {
    const objectives: JudgeObjectives = { latency: { p50Increase: 0.05 }, minSamples: 30 };
    let passed = 0;
    for (let seed = 0; seed < 300; seed++) {
      const polls = runStep(
        createSequentialJudge(objectives),
        { ...STEP, canary: { slowdown: 1.05 * 1.2 } },
        seed,
      );
      if (everPassEvidence(polls, 'p50 latency')) passed++;
    }
    expect(passed).toBeLessThanOrEqual(25);
  });

  it('tail: a canary with 3% of its requests above the allowed p99', () => {
    // Log-normal σ 0.5 scaled by s: P(s·X > 1.1 · p99) = 3% when
    // log s = log 1.1 + 0.5 · (2.3263 − 1.8808).
    const slowdown = Math.exp(Math.log(1.1) + 0.5 * (2.3263479 - 1.8807936));
    const objectives: JudgeObjectives = { latency: { p99Increase: 0.1 }, minSamples: 30 };
    let passed = 0;
    for (let seed = 0; seed < 300; seed++) {
      const step = { ...STEP, canaryPerPoll: 150, baselinePerPoll: 1500, canary: { slowdown } };
      if (everPassEvidence(runStep(createSequentialJudge(objectives), step, 1000 + seed), 'p99 latency'))
        passed++;
    }
    expect(passed).toBeLessThanOrEqual(25);
  });

  it('faults: a canary faulting twice the allowance more than the baseline', () => {
    const objectives: JudgeObjectives = { errors: { maxRateIncrease: 0.01 }, minSamples: 30 };
    let passed = 0;
    for (let seed = 0; seed < 300; seed++) {
      const step = { ...STEP, canary: { faultRate: 0.001 + 0.02 } };
      if (everPassEvidence(runStep(createSequentialJudge(objectives), step, 2000 + seed), 'fault rate'))
        passed++;
    }
    expect(passed).toBeLessThanOrEqual(25);
  });
});

describe('a healthy canary passes where proving "at most 1% above the allowed p99" is impossible', () => {
  // A power law of index 1.5: a healthy canary has 1.1^−1.5 = 87% of 1% of its requests above the
  // baseline's p99 + 10%. Showing that it has at most 1% there would take tens of thousands of requests.
  it('on a power-law tail, within the samples a 15-minute bake at 5 canary traces/s brings', () => {
    const objectives: JudgeObjectives = { latency: { p50Increase: 0.02, p99Increase: 0.1 }, minSamples: 30 };
    let passedAll = 0;
    for (let seed = 0; seed < 100; seed++) {
      const step = { polls: 30, canaryPerPoll: 150, baselinePerPoll: 1500, latency: pareto(1.5) };
      const last = runStep(createSequentialJudge(objectives), step, 3000 + seed).at(-1) ?? [];
      if (last.every((j) => j.verdict === 'pass')) passedAll++;
    }
    expect(passedAll).toBeGreaterThanOrEqual(98);
  });
});

describe('settings that could never pass', () => {
  it('refuses a zero allowance: a healthy canary would sit on the rollback boundary', () => {
    expect(() => createSequentialJudge({ latency: { p50Increase: 0 }, minSamples: 30 })).toThrow(
      new RangeError('p50Increase must be above 0 (a fraction, e.g. 0.05), got 0'),
    );
    expect(() => createSequentialJudge({ errors: { maxRateIncrease: -0.01 }, minSamples: 30 })).toThrow(
      new RangeError('maxRateIncrease must be above 0 (a fraction, e.g. 0.05), got -0.01'),
    );
  });
});
