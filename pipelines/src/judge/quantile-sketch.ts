/**
 * A streaming quantile sketch for latencies with fixed memory: a histogram of log-spaced buckets
 * (as in DDSketch) whose quantiles are within ±0.5% of the true value. Inserting is O(1);
 * a quantile is one pass over the ~2,800 buckets.
 */
export class LatencySketch {
  private static readonly relativeAccuracy = 0.005;
  private static readonly gamma = (1 + LatencySketch.relativeAccuracy) / (1 - LatencySketch.relativeAccuracy);
  private static readonly logGamma = Math.log(LatencySketch.gamma);
  /** Smallest and largest latency kept apart (ms); anything outside lands in the end buckets. */
  private static readonly minValue = 1e-3;
  private static readonly maxValue = 1e9;
  private static readonly offset = Math.floor(Math.log(LatencySketch.minValue) / LatencySketch.logGamma);
  private static readonly size =
    Math.ceil(Math.log(LatencySketch.maxValue) / LatencySketch.logGamma) - LatencySketch.offset + 1;

  private readonly counts = new Float64Array(LatencySketch.size);
  private total = 0;

  get count(): number {
    return this.total;
  }

  add(latencyMs: number): void {
    const index = LatencySketch.bucketOf(latencyMs);
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.total++;
  }

  /** The q-quantile (q in [0, 1]) within the sketch's relative accuracy; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.min(Math.max(q, 0), 1) * (this.total - 1);
    let cumulative = 0;
    for (let index = 0; index < this.counts.length; index++) {
      cumulative += this.counts[index] ?? 0;
      if (cumulative > rank) return LatencySketch.valueOf(index);
    }
    return LatencySketch.valueOf(this.counts.length - 1);
  }

  private static bucketOf(latencyMs: number): number {
    const value = Math.min(Math.max(latencyMs, LatencySketch.minValue), LatencySketch.maxValue);
    return Math.ceil(Math.log(value) / LatencySketch.logGamma) - LatencySketch.offset;
  }

  private static valueOf(index: number): number {
    const upper = LatencySketch.gamma ** (index + LatencySketch.offset);
    return (2 * upper) / (LatencySketch.gamma + 1);
  }
}
