import type { Batch } from './batch';
import { BucketCounts } from './bucket-counts';
import { LatencySketch } from './quantile-sketch';

/** Fewest baseline samples a window's drift is estimated from; sparser windows borrow recent ones. */
const MIN_FOR_DRIFT = 20;

/** One poll's baseline with the drift of each time window taken out, and what the drift was. */
export interface Normalized {
  /** How many baseline samples fell in each bucket, as multiples of their window's drift (±1%). */
  baseline: BucketCounts;
  /** The drift (the baseline's median as estimated, ms) of each time window that had one. */
  driftMs: ReadonlyMap<number, number>;
  /** The drift of the latest window that had one. */
  latestDriftMs: number;
}

/**
 * Takes out the drift both versions share: each time window's latencies are divided by the baseline's median
 * in that window, so what is left (latency as a multiple of the window's typical latency) keeps its shape
 * while a slower dependency or a traffic peak moves everything. A baseline sample is divided by the median of
 * the *other* baseline samples of its window (leave-one-out), so a baseline sample and a canary sample of the
 * same window are normalized alike. A window's median is an estimate, so it is pulled towards the mean of all
 * windows' medians (on the log scale) by how much of their spread is noise (`WindowMedians`): without drift
 * the tail is not blurred by noisy medians. A window with fewer than 20 baseline samples is pooled with 20
 * spread over the latest earlier ones; a canary sample whose window has no drift estimate at all cannot be
 * normalized and is left out.
 *
 * Everything is done on the sketch's log-spaced buckets: a median is a rank in a window's bucket
 * counts, a ratio a difference of buckets, to the sketch's accuracy (±0.5% each).
 */
export class DriftNormalizer {
  /** Twenty samples' buckets spread over the latest window's distribution, for sparse windows. */
  private recent: number[] = [];
  private latest = Number.NaN;
  private readonly medians = new WindowMedians();

  normalize(canary: Batch, baseline: Batch): Normalized {
    const out = { baseline: new BucketCounts(), driftMs: new Map<number, number>() };
    const windows = [...new Set([...canary.byWindow.keys(), ...baseline.byWindow.keys()])].sort(
      (a, b) => a - b,
    );
    const estimates: { window: number; own: BucketCounts; median: BucketMedian; noise: number }[] = [];
    for (const window of windows) {
      const own = baseline.byWindow.get(window) ?? new BucketCounts();
      const pool = this.poolFor(own);
      this.recent = spread(pool, MIN_FOR_DRIFT);
      const median = BucketMedian.of(pool);
      if (!median) continue;
      const noise = medianNoise(pool);
      this.medians.add(median.bucket, noise);
      estimates.push({ window, own, median, noise });
    }
    for (const { window, own, median, noise } of estimates) {
      const drift = this.medians.shrinker(noise);
      own.forEach((bucket, count) => {
        out.baseline.add(LatencySketch.ratioBucket(bucket, Math.round(drift(median.without(bucket)))), count);
      });
      this.latest = LatencySketch.valueOfBucket(drift(median.bucket));
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

/** Windows seen before the spread between their medians is trusted; until then each keeps its own median. */
const MIN_WINDOWS_FOR_SHRINKAGE = 4;

/**
 * The windows' baseline medians so far (in sketch buckets), for telling drift from noise: each window's median
 * is pulled towards the mean of all of them by how much of their spread is noise (empirical Bayes). With no
 * drift a window's estimate is nearly the step's typical latency, so the tail is not blurred by noisy medians;
 * with drift, which spreads the medians far more than noise does, each window keeps nearly its own median.
 */
class WindowMedians {
  private count = 0;
  private sum = 0;
  private sumSquares = 0;
  private noiseSum = 0;

  add(bucket: number, noise: number): void {
    this.count++;
    this.sum += bucket;
    this.sumSquares += bucket * bucket;
    this.noiseSum += noise;
  }

  /**
   * For a window whose median has noise variance `noise`: its drift estimate (a bucket, not rounded) from a
   * median bucket, worked out once per window and applied to each of its leave-one-out medians.
   */
  shrinker(noise: number): (bucket: number) => number {
    if (this.count < MIN_WINDOWS_FOR_SHRINKAGE) return (bucket) => bucket;
    const mean = this.sum / this.count;
    const spread = (this.sumSquares - this.count * mean * mean) / (this.count - 1);
    const drift = Math.max(0, spread - this.noiseSum / this.count);
    const kept = drift / (drift + noise);
    return (bucket) => mean + kept * (bucket - mean);
  }
}

/**
 * Variance of a window's median, in buckets²: π σ² / (2n) for a robust σ (interquartile range / 1.349), at
 * least a bucket's rounding (1/12).
 */
function medianNoise(counts: BucketCounts): number {
  const n = counts.total;
  const iqr = counts.atRank(Math.floor((3 * n) / 4)) - counts.atRank(Math.floor(n / 4));
  const sigma = iqr / 1.349;
  return Math.max(1 / 12, (Math.PI * sigma * sigma) / (2 * n));
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
