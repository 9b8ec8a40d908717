import { describe, expect, it } from 'vitest';
import { ArrivalRate } from '../../src/judge/arrival-rate';
import { prepareBatch } from '../../src/judge/batch';
import { fewestMoreSamples, roughly } from '../../src/judge/projection';
import { createSequentialJudge } from '../../src/judge/sequential-judge';
import { runStep } from './simulate';

describe('why a step is still undecided, and what would decide it', () => {
  it('says how many more canary samples would decide, and how long they take at the current rate', () => {
    // 2 canary samples per second, widely spread and 12% slower: beyond the +2% allowance, short of the
    // +22.4% a pass rules out, and after 90 s neither shown nor ruled out.
    const judge = createSequentialJudge({ latency: { p50Increase: 0.02 }, minSamples: 30 });
    const step = { polls: 3, canaryPerPoll: 60, baselinePerPoll: 600, sigma: 1, canary: { slowdown: 1.12 } };
    const polls = runStep(judge, step, 1234);
    const judgement = polls.at(-1)?.[0];
    expect(judgement?.verdict).toBe('inconclusive');
    const more = judgement?.moreCanarySamples ?? Number.NaN;
    const rate = judgement?.canaryPerSecond ?? Number.NaN;
    expect(more).toBeGreaterThan(0);
    // From request times: the samples seen over the 90 s they span.
    const seen = judgement?.samples.canary ?? Number.NaN;
    expect(rate * 90).toBeGreaterThan(seen * 0.98);
    expect(rate * 90).toBeLessThan(seen * 1.03);
    const minutes = Math.round(more / rate / 60);
    expect(judgement?.reason).toContain(
      `needs about ${more.toLocaleString('en-US')} more canary samples to decide if it stays at +`,
    );
    expect(judgement?.reason).toMatch(
      new RegExp(
        `; at the current rate of ${Number(rate.toPrecision(2))} canary samples per second that is about ${minutes} more minutes?$`,
      ),
    );
  });

  it('says how long the minimum sample count takes to arrive', () => {
    const judge = createSequentialJudge({ latency: { p50Increase: 0.02 }, minSamples: 400 });
    const polls = runStep(judge, { polls: 2, canaryPerPoll: 60, baselinePerPoll: 600 }, 1235);
    const judgement = polls.at(-1)?.[0];
    const canary = judgement?.samples.canary ?? Number.NaN;
    expect(judgement?.moreCanarySamples).toBe(400 - canary);
    const rate = judgement?.canaryPerSecond ?? Number.NaN;
    const minutes = Math.round((400 - canary) / rate / 60);
    expect(judgement?.reason).toBe(
      `too few samples: canary ${canary}, baseline ${judgement?.samples.baseline.toLocaleString('en-US')}, need 400 each; ` +
        `at the current rate of ${Number(rate.toPrecision(2))} canary samples per second that is about ${minutes} more minute${minutes === 1 ? '' : 's'}`,
    );
  });
});

describe('the arrival rate', () => {
  it('counts samples per second over the last five minutes of request times', () => {
    const rate = new ArrivalRate(30_000);
    const samples = (from: number, count: number, everyMs: number) =>
      Array.from({ length: count }, (_, i) => ({ at: from + i * everyMs, latencyMs: 100, fault: false }));
    // Ten minutes: 1 per second, then 4 per second for the last five.
    rate.add(prepareBatch(samples(0, 300, 1_000), 30_000));
    expect(rate.perSecond()).toBeCloseTo(300 / 299, 12);
    rate.add(prepareBatch(samples(300_000, 1_200, 250), 30_000));
    // The last five minutes of request times run from 299.75 s, i.e. from the window starting at 270 s.
    expect(rate.perSecond()).toBeCloseTo((30 + 1_200) / ((599_750 - 270_000) / 1000), 12);
  });

  it('is unknown until the samples span half a minute', () => {
    const rate = new ArrivalRate(30_000);
    rate.add(
      prepareBatch(
        [
          { at: 0, latencyMs: 1, fault: false },
          { at: 29_000, latencyMs: 1, fault: false },
        ],
        30_000,
      ),
    );
    expect(rate.perSecond()).toBeUndefined();
  });
});

describe('projecting the samples a decision needs', () => {
  it('finds the fewest that decide, to within 2%', () => {
    const found = fewestMoreSamples((more) => more >= 1234, 10) ?? Number.NaN;
    expect(found).toBeGreaterThanOrEqual(1234);
    expect(found).toBeLessThanOrEqual(1234 * 1.02 + 1);
    expect(fewestMoreSamples(() => true, 10)).toBe(0);
    expect(fewestMoreSamples(() => false, 10, 1e6)).toBeUndefined();
  });

  it('rounds to what a reader needs: two significant figures', () => {
    expect([87, 2437, 2450, 123_456].map(roughly)).toEqual([87, 2400, 2500, 120_000]);
  });
});
