import { LatencySketch } from './quantile-sketch';

/**
 * How many samples fell in each of the sketch's log-spaced buckets: one time window's latencies
 * (of one version, in one poll). Medians, ψ sums and normalized tails are worked out from it in one
 * pass over the occupied buckets, whatever the number of samples.
 */
export class BucketCounts {
  readonly counts = new Int32Array(LatencySketch.bucketCount);
  low = Number.POSITIVE_INFINITY;
  high = Number.NEGATIVE_INFINITY;
  total = 0;

  add(bucket: number, count = 1): void {
    this.counts[bucket] = (this.counts[bucket] as number) + count;
    if (bucket < this.low) this.low = bucket;
    if (bucket > this.high) this.high = bucket;
    this.total += count;
  }

  /** The bucket of the sample at `rank` (0 = the smallest). */
  atRank(rank: number): number {
    let cumulative = 0;
    for (let bucket = this.low; bucket <= this.high; bucket++) {
      cumulative += this.counts[bucket] as number;
      if (cumulative > rank) return bucket;
    }
    return this.high;
  }

  /** Calls `visit` for every occupied bucket, lowest first. */
  forEach(visit: (bucket: number, count: number) => void): void {
    for (let bucket = this.low; bucket <= this.high; bucket++) {
      const count = this.counts[bucket] as number;
      if (count > 0) visit(bucket, count);
    }
  }
}
