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

  it('pulls window means towards the step mean when their spread is no more than noise', () => {
    const reference = new WindowedReference();
    // Six windows of 20 baseline values each, means 9.8…10.2 around 10 with a within-window variance of 4:
    // a window mean's noise is 4/20 = 0.2, more than the spread between them, so no drift is kept.
    const means = [9.8, 10.2, 10, 9.9, 10.1, 10];
    means.forEach((m, w) => {
      reference.addBaseline(w, 20, 20 * m, 20 * (m * m + 4 * (19 / 20)));
      reference.addCanary(w, w === 1 ? 5 : 1);
    });
    const { mean, factor } = reference.reference();
    expect(mean).toBeCloseTo(10, 12);
    expect(factor).toBeCloseTo(1 / 120, 12);
  });

  it('keeps nearly all of each window mean where the windows differ far beyond noise (a shared step)', () => {
    const reference = new WindowedReference();
    const means = [10, 10, 10, 20, 20, 20];
    const within = 4 * (19 / 20);
    means.forEach((m, w) => {
      reference.addBaseline(w, 20, 20 * m, 20 * (m * m + within));
      reference.addCanary(w, w < 3 ? 1 : 3);
    });
    const { mean, factor } = reference.reference();
    // Method of moments: τ² = (Σ n_w (m_w − 15)² − 5 · within-variance) / (120 − 6 · 20² / 120); each window
    // keeps τ² / (τ² + within-variance / 20) of its distance from the step mean 15.
    const variance = (6 * 20 * within) / (120 - 6);
    const spread = (120 * 25 - 5 * variance) / (120 - (6 * 400) / 120);
    const kept = spread / (spread + variance / 20);
    expect(kept).toBeGreaterThan(0.99);
    expect(mean).toBeCloseTo(15 + 0.25 * -5 * kept + 0.75 * 5 * kept, 12);
    const b = (own: number) => (1 - kept) / 6 + own * kept;
    expect(factor).toBeCloseTo((3 * b(1 / 12) ** 2 + 3 * b(3 / 12) ** 2) / 20, 12);
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

  it("estimates a window's drift from the whole step when the windows' medians differ only by noise", () => {
    const normalizer = new DriftNormalizer();
    const shape = Array.from({ length: 21 }, (_, i) => 50 + 5 * i);
    // Five windows of the same shape, except that the fifth's middle sample is a little slower: its median
    // moves 4% (from 100 to 104 ms), well within the noise of a 21-sample median of values spread from 50 to 150.
    for (let w = 0; w < 4; w++)
      normalizer.normalize(
        prepareBatch([], 30_000),
        prepareBatch(
          shape.map((v) => sample(w * 30_000, v)),
          30_000,
        ),
      );
    const moved = shape.map((v) => (v === 100 ? 104 : v));
    const out = normalizer.normalize(
      prepareBatch([], 30_000),
      prepareBatch(
        moved.map((v) => sample(4 * 30_000, v)),
        30_000,
      ),
    );
    const drift = out.driftMs.get(4) ?? Number.NaN;
    expect(drift).toBeGreaterThan(99);
    expect(drift).toBeLessThan(101.5);
  });
});
