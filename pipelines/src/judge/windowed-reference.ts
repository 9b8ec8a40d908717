/** Windows with baseline seen before the spread between their means is trusted. */
const MIN_WINDOWS_FOR_SHRINKAGE = 4;

/** One time window's share of the comparison: canary count, and the baseline's values summed. */
interface Window {
  canary: number;
  baseline: number;
  sum: number;
  sumSquares: number;
}

/** The baseline's mean as the canary would see it, if both versions ran in the same windows. */
export interface Reference {
  /** Σ_v b_v · baseline mean_v: the windows' means, weighted as the canary falls and pulled towards the step's. */
  mean: number;
  /** Variance of one baseline value, within windows (drift between windows left out). */
  variance: number;
  /** Var(mean) = variance · factor; 1/baseline count when the canary spreads like the baseline. */
  factor: number;
}

/**
 * The baseline side of a time-stratified comparison. Requests are put in fixed windows of their request time
 * (`floor(at / windowMs)`); the canary's mean over all its samples is compared with the baseline's means per
 * window, weighted by where the canary's samples fall. Drift that moves both versions (a slower dependency, a
 * traffic peak) moves both sides of each window alike, and so cancels, and so does sampling that favours some
 * windows for one version (X-Ray's per-second reservoir does). A window's mean is an estimate, so it is pulled
 * towards the step's mean by how much of the spread between windows is noise: without drift the comparison is
 * as tight as a pooled one.
 *
 * Memory is one small record per window that saw traffic: 5,760 for a 48-hour step of 30-s windows.
 */
export class WindowedReference {
  private readonly windows = new Map<number, Window>();
  private canaryTotal = 0;
  private baselineTotal = 0;
  private sum = 0;
  private sumSquares = 0;
  private last: { index: number; window: Window } | undefined;

  get canaryCount(): number {
    return this.canaryTotal;
  }

  /** Counts `count` canary samples of time window `index`. */
  addCanary(index: number, count: number): void {
    this.windowOf(index).canary += count;
    this.canaryTotal += count;
  }

  /** Adds `count` baseline values of time window `index`, given their sum and sum of squares. */
  addBaseline(index: number, count: number, sum: number, sumSquares: number): void {
    const window = this.windowOf(index);
    window.baseline += count;
    window.sum += sum;
    window.sumSquares += sumSquares;
    this.baselineTotal += count;
    this.sum += sum;
    this.sumSquares += sumSquares;
  }

  /**
   * The canary-weighted baseline mean and its variance, over everything seen so far. Each window's baseline
   * mean is first pulled towards the step's by how much of the spread between windows is noise (empirical
   * Bayes, as `DriftNormalizer` does for medians); canary samples in windows without baseline are weighed
   * against the step's mean.
   */
  reference(): Reference {
    const n = this.baselineTotal;
    const pooledMean = this.sum / n;
    const pooledVariance =
      n > 1 ? Math.max(0, (this.sumSquares - n * pooledMean * pooledMean) / (n - 1)) : Number.NaN;
    if (this.canaryTotal === 0) return { mean: pooledMean, variance: pooledVariance, factor: 1 / n };
    const occupied = [...this.windows.values()].filter((w) => w.baseline > 0);
    let within = 0;
    for (const w of occupied) within += w.sumSquares - (w.sum * w.sum) / w.baseline;
    // Within-window variance needs a few values per window; with sparse windows the pooled one
    // (which also holds the drift between windows, so it is larger) is the safe choice.
    const variance =
      n - occupied.length >= n / 2 ? Math.max(0, within / (n - occupied.length)) : pooledVariance;
    const kept = this.keptShare(occupied, pooledMean, variance);
    // The reference is Σ_v b_v · mean_v: each window's own share, plus the step mean's for what is not kept.
    let towardsStep = 0;
    for (const w of this.windows.values())
      towardsStep += (w.canary / this.canaryTotal) * (w.baseline > 0 ? 1 - kept(w) : 1);
    let mean = 0;
    let factor = 0;
    for (const w of occupied) {
      const b = (w.baseline / n) * towardsStep + (w.canary / this.canaryTotal) * kept(w);
      mean += (b * w.sum) / w.baseline;
      factor += (b * b) / w.baseline;
    }
    return { mean, variance, factor };
  }

  /**
   * How much of a window's own mean to keep: τ² / (τ² + σ²/n_w), τ² the spread of the windows' true means
   * (the method-of-moments estimate of one-way analysis of variance). All of it until a few windows have been seen.
   */
  private keptShare(
    occupied: readonly Window[],
    pooledMean: number,
    variance: number,
  ): (w: Window) => number {
    const n = this.baselineTotal;
    let between = 0;
    let sizeSquares = 0;
    for (const w of occupied) {
      const deviation = w.sum / w.baseline - pooledMean;
      between += w.baseline * deviation * deviation;
      sizeSquares += w.baseline * w.baseline;
    }
    const effective = n - sizeSquares / n;
    const spread = Math.max(0, (between - (occupied.length - 1) * variance) / effective);
    // Too few windows, or nothing to estimate from (no spread at all): each window keeps its own mean.
    const trusted = occupied.length >= MIN_WINDOWS_FOR_SHRINKAGE && effective > 0 && variance > 0;
    if (!(trusted && Number.isFinite(spread))) return () => 1;
    return (w) => spread / (spread + variance / w.baseline);
  }

  private windowOf(index: number): Window {
    if (this.last?.index === index) return this.last.window;
    let window = this.windows.get(index);
    if (!window) {
      window = { canary: 0, baseline: 0, sum: 0, sumSquares: 0 };
      this.windows.set(index, window);
    }
    this.last = { index, window };
    return window;
  }
}
