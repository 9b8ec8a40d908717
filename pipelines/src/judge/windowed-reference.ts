/** One time window's share of the comparison: canary count, and the baseline's values summed. */
interface Window {
  canary: number;
  baseline: number;
  sum: number;
  sumSquares: number;
}

/** The baseline's mean as the canary would see it, if both versions ran in the same windows. */
export interface Reference {
  /** Σ_w (canary_w / canary) · baseline mean_w (windows without baseline use the step's mean). */
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
 * windows for one version (X-Ray's per-second reservoir does).
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

  /** The canary-weighted baseline mean and its variance, over everything seen so far. */
  reference(): Reference {
    const n = this.baselineTotal;
    const pooledMean = this.sum / n;
    const pooledVariance =
      n > 1 ? Math.max(0, (this.sumSquares - n * pooledMean * pooledMean) / (n - 1)) : Number.NaN;
    if (this.canaryTotal === 0) return { mean: pooledMean, variance: pooledVariance, factor: 1 / n };
    let unmatched = 0;
    for (const window of this.windows.values()) if (window.baseline === 0) unmatched += window.canary;
    // Canary samples in windows without baseline are weighed against the whole step's baseline.
    const spill = unmatched / this.canaryTotal / n;
    let mean = 0;
    let factor = 0;
    let within = 0;
    let occupied = 0;
    for (const window of this.windows.values()) {
      if (window.baseline === 0) continue;
      const weight = window.canary / this.canaryTotal + spill * window.baseline;
      const windowMean = window.sum / window.baseline;
      mean += weight * windowMean;
      factor += (weight * weight) / window.baseline;
      within += window.sumSquares - window.baseline * windowMean * windowMean;
      occupied++;
    }
    // Within-window variance needs a few values per window; with sparse windows the pooled one
    // (which also holds the drift between windows, so it is larger) is the safe choice.
    const variance = n - occupied >= n / 2 ? Math.max(0, within / (n - occupied)) : pooledVariance;
    return { mean, variance, factor };
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
