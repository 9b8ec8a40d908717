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

  /** How many buckets a sketch has. */
  static get bucketCount(): number {
    return LatencySketch.size;
  }

  private readonly counts = new Float64Array(LatencySketch.size);
  private total = 0;
  private lowest = Number.POSITIVE_INFINITY;
  private highest = Number.NEGATIVE_INFINITY;

  get count(): number {
    return this.total;
  }

  add(latencyMs: number): void {
    this.addBucket(LatencySketch.bucketOf(latencyMs));
  }

  /** Adds `count` latencies by their bucket (`bucketOf`), for callers that worked it out already. */
  addBucket(index: number, count = 1): void {
    this.counts[index] = (this.counts[index] ?? 0) + count;
    if (index < this.lowest) this.lowest = index;
    if (index > this.highest) this.highest = index;
    this.total += count;
  }

  /** Adds every latency counted in `buckets` (a window's `BucketCounts`). */
  addCounts(buckets: { low: number; high: number; counts: Int32Array }): void {
    for (let index = buckets.low; index <= buckets.high; index++) {
      const count = buckets.counts[index] as number;
      if (count > 0) this.addBucket(index, count);
    }
  }

  /** The q-quantile (q in [0, 1]) within the sketch's relative accuracy; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.min(Math.max(q, 0), 1) * (this.total - 1);
    let cumulative = 0;
    for (let index = this.lowest; index <= this.highest; index++) {
      cumulative += this.counts[index] ?? 0;
      if (cumulative > rank) return LatencySketch.valueOf(index);
    }
    return LatencySketch.valueOf(this.highest);
  }

  /**
   * Count, mean and variance of Huber's ψ of the log latencies, clamp(log x − centre, ±width),
   * evaluated at each bucket's representative value (within ±0.005 of each log latency), in one
   * pass over the occupied buckets.
   */
  clippedLogMoments(centre: number, width: number): { count: number; mean: number; variance: number } {
    let sum = 0;
    let sumSquares = 0;
    const step = LatencySketch.logGamma;
    const base = LatencySketch.logValueOf(0) - centre;
    for (let index = this.lowest; index <= this.highest; index++) {
      const weight = this.counts[index] ?? 0;
      if (weight === 0) continue;
      const raw = base + index * step;
      const value = Math.min(width, Math.max(-width, raw));
      sum += weight * value;
      sumSquares += weight * value * value;
    }
    const n = this.total;
    const mean = n > 0 ? sum / n : Number.NaN;
    const variance = n > 1 ? Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) : Number.NaN;
    return { count: n, mean, variance };
  }

  /**
   * log of the value a bucket keeps (its representative), so that statistics computed per sample
   * agree exactly with those computed from a sketch.
   */
  static logOfBucket(index: number): number {
    return LatencySketch.logValueOf(index);
  }

  /** The value a bucket keeps (its representative). */
  static valueOfBucket(index: number): number {
    return LatencySketch.valueOf(index);
  }

  /**
   * The bucket of a latency in bucket `numerator` divided by the value bucket `denominator` keeps:
   * buckets are log-spaced, so a ratio is a difference. The latency lies anywhere in its bucket, so
   * the ratio lies anywhere in the bucket below the difference's upper edge (±0.5%, as the sketch).
   */
  static ratioBucket(numerator: number, denominator: number): number {
    return Math.min(LatencySketch.size - 1, Math.max(0, numerator - denominator - LatencySketch.offset));
  }

  /** The bucket a latency is kept in. */
  static bucketOf(latencyMs: number): number {
    const value = Math.min(Math.max(latencyMs, LatencySketch.minValue), LatencySketch.maxValue);
    return Math.ceil(Math.log(value) / LatencySketch.logGamma) - LatencySketch.offset;
  }

  private static logValueOf(index: number): number {
    return (index + LatencySketch.offset) * LatencySketch.logGamma + Math.log(2 / (LatencySketch.gamma + 1));
  }

  private static valueOf(index: number): number {
    const upper = LatencySketch.gamma ** (index + LatencySketch.offset);
    return (2 * upper) / (LatencySketch.gamma + 1);
  }
}
