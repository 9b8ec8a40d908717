import { describe, expect, it } from 'vitest';
import type { JudgeObjectives } from '../../src/judge/canary-judge';
import { createJudge } from '../../src/judge/create-judge';
import { createSequentialJudge } from '../../src/judge/sequential-judge';
import { firstFailure, runStep } from './simulate';

const OBJECTIVES: JudgeObjectives = {
  latency: { p50Increase: 0.02, p99Increase: 0.1 },
  errors: { maxRateIncrease: 0.01 },
  minSamples: 30,
};

/** A 15-minute step polled every 30 s: 30 looks. */
const STEP = { polls: 30, canaryPerPoll: 15, baselinePerPoll: 285 };

describe('sequential judge: false rollbacks', () => {
  it('fails at most alpha of healthy (A/A) steps, however many polls', () => {
    const releases = 600;
    let failed = 0;
    for (let seed = 0; seed < releases; seed++) {
      if (firstFailure(runStep(createSequentialJudge(OBJECTIVES), STEP, 1000 + seed))) failed++;
    }
    // alpha = 1%: expected ≤ 6 of 600; allow binomial noise (P(X > 14 | p = 0.01) < 0.1%).
    expect(failed).toBeLessThanOrEqual(14);
  });

  it('stays within alpha when latencies are twice as spread out (σ = 1 on the log scale)', () => {
    let failed = 0;
    for (let seed = 0; seed < 300; seed++) {
      if (firstFailure(runStep(createSequentialJudge(OBJECTIVES), { ...STEP, sigma: 1 }, 7000 + seed)))
        failed++;
    }
    // alpha = 1%: expected ≤ 3 of 300; P(X > 9 | p = 0.01) < 0.1%.
    expect(failed).toBeLessThanOrEqual(9);
  });

  it('does not flag a +1% change (within the +2% allowance)', () => {
    let failed = 0;
    for (let seed = 0; seed < 200; seed++) {
      const polls = runStep(
        createSequentialJudge(OBJECTIVES),
        { ...STEP, canary: { slowdown: 1.01 } },
        5000 + seed,
      );
      if (firstFailure(polls)) failed++;
    }
    expect(failed).toBeLessThanOrEqual(6);
  });

  it('holds alpha for the tail test at its boundary (canary p99 exactly +10%)', () => {
    // Every canary request 10% slower: the canary's p99 is exactly the allowed baseline p99 + 10%,
    // the least favourable healthy case for the tail test, which here gets the whole alpha.
    let failed = 0;
    for (let seed = 0; seed < 300; seed++) {
      const judge = createSequentialJudge({ latency: { p99Increase: 0.1 }, minSamples: 30 });
      const step = { polls: 30, canaryPerPoll: 150, baselinePerPoll: 1350, canary: { slowdown: 1.1 } };
      if (firstFailure(runStep(judge, step, 11000 + seed))) failed++;
    }
    // alpha = 1%: expected ≤ 3 of 300; P(X > 9 | p = 0.01) < 0.1%.
    expect(failed).toBeLessThanOrEqual(9);
  });

  it('holds alpha when polled after every single request', () => {
    let failed = 0;
    for (let seed = 0; seed < 100; seed++) {
      const judge = createSequentialJudge({ latency: { p50Increase: 0.02 }, minSamples: 20 });
      if (firstFailure(runStep(judge, { polls: 600, canaryPerPoll: 1, baselinePerPoll: 10 }, 9000 + seed)))
        failed++;
    }
    expect(failed).toBeLessThanOrEqual(5);
  });
});

describe('sequential judge: detection', () => {
  it('detects +50% within a couple of polls and explains itself', () => {
    const polls = runStep(createSequentialJudge(OBJECTIVES), { ...STEP, canary: { slowdown: 1.5 } }, 42);
    const failure = firstFailure(polls);
    expect(failure?.judgement.metric).toBe('p50 latency');
    expect(failure?.poll).toBeLessThanOrEqual(3);
    const judgement = failure?.judgement;
    expect(judgement?.estimate).toBeGreaterThan(0.3);
    expect(judgement?.estimateKind).toBe('relative change');
    const [lo, hi] = judgement?.interval ?? [Number.NaN, Number.NaN];
    expect(lo).toBeGreaterThan(0.02);
    expect(hi).toBeGreaterThan(lo);
    expect(judgement?.statistic).toBeGreaterThanOrEqual(
      judgement?.statisticThreshold ?? Number.POSITIVE_INFINITY,
    );
    expect(judgement?.reason).toMatch(
      /typical latency .* ms on canary vs .* ms on baseline \(median\); the canary is \+\d/,
    );
    expect(judgement?.reason).toMatch(/roll back/);
  });

  it('detects +20% in most steps, near the statistical limit of ~126 canary samples', () => {
    const used: number[] = [];
    for (let seed = 0; seed < 100; seed++) {
      const step = { polls: 40, canaryPerPoll: 8, baselinePerPoll: 152, canary: { slowdown: 1.2 } };
      const polls = runStep(createSequentialJudge(OBJECTIVES), step, 300 + seed);
      const failure = firstFailure(polls);
      if (failure) used.push(failure.judgement.samples.canary);
    }
    used.sort((a, b) => a - b);
    expect(used.length).toBeGreaterThanOrEqual(95);
    expect(used[Math.floor(used.length / 2)]).toBeLessThanOrEqual(189);
  });

  it('catches a p99-only regression with the tail test, not the latency test', () => {
    const step = { polls: 30, canaryPerPoll: 150, baselinePerPoll: 1350, canary: { tailSlowdown: 1.5 } };
    const failure = firstFailure(runStep(createSequentialJudge(OBJECTIVES), step, 7));
    expect(failure?.judgement.metric).toBe('p99 latency');
    expect(failure?.judgement.estimateKind).toBe('share above threshold');
    expect(failure?.judgement.estimate).toBeGreaterThan(0.01);
    expect(failure?.judgement.reason).toMatch(
      /of canary requests \(\d+ of [\d,]+, .*\) were slower than the baseline's p99 \+ 10% of their time window \(\d+ ms in the latest: baseline p99 \d+ ms \+ 10%\)/,
    );
  });

  it('catches a canary that faults 5% of requests', () => {
    const failure = firstFailure(
      runStep(createSequentialJudge(OBJECTIVES), { ...STEP, canary: { faultRate: 0.05 } }, 11),
    );
    expect(failure?.judgement.metric).toBe('fault rate');
    expect(failure?.judgement.estimateKind).toBe('rate difference');
    expect(failure?.judgement.reason).toMatch(/faults .*% of canary requests/);
  });
});

describe('sequential judge: guards and passes', () => {
  it('is inconclusive, never a pass, below minSamples', () => {
    const judge = createSequentialJudge({ ...OBJECTIVES, minSamples: 200 });
    const polls = runStep(
      judge,
      { polls: 5, canaryPerPoll: 20, baselinePerPoll: 500, canary: { slowdown: 3 } },
      1,
    );
    for (const judgements of polls) {
      expect(judgements.map((j) => j.verdict)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
      expect(judgements[0]?.reason).toMatch(/too few samples: canary [\d,]+, baseline [\d,]+, need 200 each/);
    }
  });

  it('is inconclusive with no traffic at all', () => {
    const judgements = createSequentialJudge(OBJECTIVES).observe([], []);
    expect(judgements.every((j) => j.verdict === 'inconclusive')).toBe(true);
  });

  it('passes a healthy canary once the regression each test guards against is ruled out', () => {
    const objectives = {
      latency: { p50Increase: 0.1, p99Increase: 0.3 },
      errors: { maxRateIncrease: 0.02 },
      minSamples: 50,
    };
    const polls = runStep(
      createSequentialJudge(objectives),
      { polls: 20, canaryPerPoll: 100, baselinePerPoll: 900 },
      3,
    );
    const last = polls.at(-1) ?? [];
    expect(last.map((j) => j.verdict)).toEqual(['pass', 'pass', 'pass']);
    for (const judgement of last) {
      expect(judgement.estimate).toBeTypeOf('number');
      expect(judgement.interval).toHaveLength(2);
      expect(judgement.statistic).toBeLessThan(judgement.statisticThreshold ?? 0);
      expect(judgement.passStatistic).toBeGreaterThanOrEqual(judgement.passStatisticThreshold ?? Number.NaN);
      expect(judgement.passStatisticThreshold).toBeCloseTo(20, 9);
      expect(judgement.reason).toMatch(
        /or more (there )?is ruled out \(evidence (over )?[\d.,]+× reached the 20× needed to pass; /,
      );
    }
    // (1 + 10%) × 1.2: a median 32% above the baseline's; 3% of requests above the allowed p99;
    // +4 points of faults.
    expect(last[0]?.passBound).toBeCloseTo(0.32, 12);
    expect(last.slice(1).map((j) => j.passBound)).toEqual([0.03, 0.04]);
  });

  it('keeps a failure once reached (the release is rolled back on it)', () => {
    const judge = createSequentialJudge(OBJECTIVES);
    const polls = runStep(judge, { ...STEP, polls: 3, canary: { slowdown: 2 } }, 2);
    expect(polls.at(-1)?.[0]?.verdict).toBe('fail');
    const later = judge.observe([], []);
    expect(later[0]?.verdict).toBe('fail');
  });

  it('skips broken measurements instead of letting them poison the statistics', () => {
    const judge = createSequentialJudge(OBJECTIVES);
    const broken = [
      { at: 0, latencyMs: Number.NaN, fault: false },
      { at: 0, latencyMs: -5, fault: false },
    ];
    const judgements = judge.observe(broken, broken);
    expect(judgements[0]?.samples).toEqual({ canary: 0, baseline: 0 });
  });

  it('only runs the tests the policy asks for, and splits alpha among them', () => {
    const only = createSequentialJudge({ latency: { p50Increase: 0.05 }, minSamples: 30 });
    const polls = runStep(only, { polls: 5, canaryPerPoll: 50, baselinePerPoll: 500 }, 4);
    expect(polls.at(-1)?.map((j) => j.metric)).toEqual(['p50 latency']);
    expect(polls.at(-1)?.[0]?.statisticThreshold).toBeCloseTo(100, 6);
    const all = runStep(
      createSequentialJudge(OBJECTIVES),
      { polls: 5, canaryPerPoll: 50, baselinePerPoll: 500 },
      4,
    );
    expect(all.at(-1)?.map((j) => Math.round(j.statisticThreshold ?? 0))).toEqual([167, 500, 500]);
  });

  it('is what createJudge returns', () => {
    const polls = runStep(createJudge(OBJECTIVES), { ...STEP, polls: 4, canary: { slowdown: 2 } }, 5);
    expect(firstFailure(polls)?.judgement.statistic).toBeTypeOf('number');
  });

  it('judges 100,000 samples in one poll, and a healthy canary that large is a pass on every test', () => {
    const judge = createSequentialJudge(OBJECTIVES);
    const polls = runStep(judge, { polls: 1, canaryPerPoll: 10_000, baselinePerPoll: 90_000 }, 6);
    const judgements = polls[0] ?? [];
    expect(judgements.map((j) => [j.metric, j.verdict])).toEqual([
      ['p50 latency', 'pass'],
      ['p99 latency', 'pass'],
      ['fault rate', 'pass'],
    ]);
    const total = (judgements[0]?.samples.canary ?? 0) + (judgements[0]?.samples.baseline ?? 0);
    expect(total).toBeGreaterThan(99_000);
  });
});
