import type { Batch } from './batch';
import { BucketCounts } from './bucket-counts';
import { LatencySketch } from './quantile-sketch';

/** Fewest baseline samples a window's drift is estimated from; sparser windows borrow recent ones. */
const MIN_FOR_DRIFT = 20;

/** One poll's baseline with the drift of each time window taken out, and what the drift was. */
export interface Normalized {
  /** How many baseline samples fell in each bucket, as multiples of their window's drift (±1%). */
  baseline: BucketCounts;
  /** The drift (baseline median, ms) of each time window that had one. */
  driftMs: ReadonlyMap<number, number>;
  /** The drift of the latest window that had one. */
  latestDriftMs: number;
}

/**
 * Takes out the drift both versions share: each time window's latencies are divided by the baseline's median
 * in that window, so what is left (latency as a multiple of the window's typical latency) keeps its shape
 * while a slower dependency or a traffic peak moves everything. A baseline sample is divided by the median of
 * the *other* baseline samples of its window (leave-one-out), so a baseline sample and a canary sample of the
 * same window are normalized alike. A window with fewer than 20 baseline samples is pooled with 20 spread
 * over the latest earlier ones; a canary sample whose window has no drift estimate at all cannot be
 * normalized and is left out.
 *
 * Everything is done on the sketch's log-spaced buckets: a median is a rank in a window's bucket
 * counts, a ratio a difference of buckets, to the sketch's accuracy (±0.5% each).
 */
export class DriftNormalizer {
  /** Twenty samples' buckets spread over the latest window's distribution, for sparse windows. */
  private recent: number[] = [];
  private latest = Number.NaN;

  normalize(canary: Batch, baseline: Batch): Normalized {
    const out = { baseline: new BucketCounts(), driftMs: new Map<number, number>() };
    const windows = [...new Set([...canary.byWindow.keys(), ...baseline.byWindow.keys()])].sort(
      (a, b) => a - b,
    );
    for (const window of windows) {
      const own = baseline.byWindow.get(window) ?? new BucketCounts();
      const pool = this.poolFor(own);
      this.recent = spread(pool, MIN_FOR_DRIFT);
      const median = BucketMedian.of(pool);
      if (!median) continue;
      own.forEach((bucket, count) => {
        out.baseline.add(LatencySketch.ratioBucket(bucket, median.without(bucket)), count);
      });
      this.latest = LatencySketch.valueOfBucket(median.bucket);
      out.driftMs.set(window, this.latest);
    }
    return { ...out, latestDriftMs: this.latest };
  }

  private poolFor(own: BucketCounts): BucketCounts {
    if (own.total >= MIN_FOR_DRIFT) return own;
    const pool = new BucketCounts();
    own.forEach((bucket, count) => {
      pool.add(bucket, count);
    });
    for (const bucket of this.recent) pool.add(bucket);
    return pool;
  }
}

/** `n` buckets at evenly spread ranks of `counts` (all of them, if it holds fewer). */
function spread(counts: BucketCounts, n: number): number[] {
  const k = Math.min(n, counts.total);
  return Array.from({ length: k }, (_, i) => counts.atRank(Math.floor(((i + 0.5) * counts.total) / k)));
}

/**
 * The (lower) median bucket of some buckets and, for any one of them, the median of the others:
 * removing one below the median moves it up a rank, removing one above leaves it.
 */
class BucketMedian {
  private constructor(
    readonly bucket: number,
    private readonly ifBelowRemoved: number,
    private readonly ifAboveRemoved: number,
  ) {}

  static of(counts: BucketCounts): BucketMedian | undefined {
    const n = counts.total;
    if (n === 0) return undefined;
    const bucket = counts.atRank(Math.floor((n - 1) / 2));
    if (n === 1) return new BucketMedian(bucket, bucket, bucket);
    const others = Math.floor((n - 2) / 2);
    return new BucketMedian(bucket, counts.atRank(others + 1), counts.atRank(others));
  }

  /** The median bucket of the others, without one sample in `bucket`. */
  without(bucket: number): number {
    if (bucket < this.bucket) return this.ifBelowRemoved;
    if (bucket > this.bucket) return this.ifAboveRemoved;
    return this.ifAboveRemoved < this.bucket ? this.ifAboveRemoved : this.ifBelowRemoved;
  }
}
