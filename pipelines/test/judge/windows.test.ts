import { describe, expect, it } from 'vitest';
import { prepareBatch } from '../../src/judge/batch';
import { DriftNormalizer } from '../../src/judge/drift-normalizer';
import { LatencySketch } from '../../src/judge/quantile-sketch';
import { WindowedReference } from '../../src/judge/windowed-reference';

describe('WindowedReference: the baseline as the canary sees it, window by window', () => {
  it('weighs each window by its share of the canary, with within-window variance', () => {
    const reference = new WindowedReference();
    // Window 0: baseline 1, 3, 5 (mean 3), one canary sample; window 1: 10, 12, 14 (mean 12), three.
    reference.addBaseline(0, 3, 1 + 3 + 5, 1 + 9 + 25);
    reference.addBaseline(1, 3, 10 + 12 + 14, 100 + 144 + 196);
    reference.addCanary(0, 1);
    reference.addCanary(1, 3);
    const { mean, variance, factor } = reference.reference();
    expect(mean).toBeCloseTo(0.25 * 3 + 0.75 * 12, 12);
    // Var(mean) = σ² · Σ (canary share)² / baseline count.
    expect(factor).toBeCloseTo(0.25 ** 2 / 3 + 0.75 ** 2 / 3, 12);
    // Within windows: (8 + 8) / (6 − 2).
    expect(variance).toBeCloseTo(4, 12);
  });

  it('weighs canary samples of windows without baseline against the whole step, and pools sparse variance', () => {
    const reference = new WindowedReference();
    reference.addBaseline(0, 2, 1 + 3, 1 + 9);
    reference.addBaseline(1, 1, 4, 16);
    reference.addCanary(0, 2);
    reference.addCanary(1, 1);
    reference.addCanary(2, 1);
    const { mean, variance, factor } = reference.reference();
    // The unmatched quarter of the canary spreads over the 3 baseline samples: weights 2/3 and 1/3.
    expect(mean).toBeCloseTo((2 / 3) * 2 + (1 / 3) * 4, 12);
    expect(factor).toBeCloseTo((2 / 3) ** 2 / 2 + (1 / 3) ** 2 / 1, 12);
    // 3 samples in 2 windows leave 1 degree of freedom within them: the pooled variance is used.
    expect(variance).toBeCloseTo((1 + 9 + 16 - 3 * (8 / 3) ** 2) / 2, 12);
  });
});

/** Within a bucket of the sketch (±0.5%) of `expected`. */
function nearly(actual: number, expected: number): void {
  expect(Math.abs(actual / expected - 1)).toBeLessThanOrEqual(0.0101);
}

describe('DriftNormalizer: each window divided by its baseline median', () => {
  const sample = (at: number, latencyMs: number) => ({ at, latencyMs, fault: false });

  it("divides the canary by the window's median and each baseline sample by the median of the others", () => {
    const values = [10, 20, 30, 40, 50];
    const baseline = prepareBatch(
      values.map((v) => sample(1_000, v)),
      30_000,
    );
    const canary = prepareBatch([sample(2_000, 60)], 30_000);
    const out = new DriftNormalizer().normalize(canary, baseline);
    nearly(out.driftMs.get(0) ?? Number.NaN, 30);
    nearly(out.latestDriftMs, 30);
    // Lower medians of the other four: without 10 → 30, 20 → 30, 30 → 20, 40 → 20, 50 → 20.
    const expected = [10 / 30, 20 / 30, 30 / 20, 40 / 20, 50 / 20].sort((a, b) => a - b);
    const sketch = new LatencySketch();
    sketch.addCounts(out.baseline);
    expect(sketch.count).toBe(5);
    for (const [rank, ratio] of expected.entries()) nearly(sketch.quantile(rank / 4), ratio);
  });

  it('takes out a step in both versions: the same shape before and after', () => {
    const normalizer = new DriftNormalizer();
    const shape = Array.from({ length: 40 }, (_, i) => 50 + 5 * i);
    const before = normalizer.normalize(
      prepareBatch([], 30_000),
      prepareBatch(
        shape.map((v) => sample(0, v)),
        30_000,
      ),
    );
    const after = normalizer.normalize(
      prepareBatch([], 30_000),
      prepareBatch(
        shape.map((v) => sample(30_000, 1.3 * v)),
        30_000,
      ),
    );
    nearly((after.driftMs.get(1) ?? Number.NaN) / (before.driftMs.get(0) ?? Number.NaN), 1.3);
    const a = new LatencySketch();
    const b = new LatencySketch();
    a.addCounts(before.baseline);
    b.addCounts(after.baseline);
    for (const q of [0.1, 0.5, 0.9, 0.99]) nearly(b.quantile(q), a.quantile(q));
  });
});
