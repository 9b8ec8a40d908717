import { BucketCounts } from './bucket-counts';
import type { JudgedSample } from './canary-judge';
import { LatencySketch } from './quantile-sketch';

/**
 * One poll's valid samples of one version, with what every test needs worked out once: each
 * sample's time window, and per window how many samples fell in each sketch bucket.
 */
export interface Batch {
  samples: readonly JudgedSample[];
  /** The time window (`floor(at / windowMs)`) of each sample. */
  windows: Float64Array;
  /** Bucket counts per time window, in ascending window order. */
  byWindow: ReadonlyMap<number, BucketCounts>;
  faults: number;
  /** Earliest and latest request time (ms); ±∞ when empty. */
  earliestAt: number;
  latestAt: number;
}

/**
 * Drops broken measurements (a negative or non-finite latency, or no request time) and sorts the
 * rest into time windows and sketch buckets, in one pass.
 */
export function prepareBatch(samples: readonly JudgedSample[], windowMs: number): Batch {
  const valid = samples.every(isValid) ? samples : samples.filter(isValid);
  const windows = new Float64Array(valid.length);
  const counts = new Map<number, BucketCounts>();
  let current: { window: number; counts: BucketCounts } | undefined;
  let faults = 0;
  let earliestAt = Number.POSITIVE_INFINITY;
  let latestAt = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < valid.length; i++) {
    const sample = valid[i] as JudgedSample;
    const window = Math.floor(sample.at / windowMs);
    windows[i] = window;
    if (current?.window !== window) {
      let inWindow = counts.get(window);
      if (!inWindow) {
        inWindow = new BucketCounts();
        counts.set(window, inWindow);
      }
      current = { window, counts: inWindow };
    }
    current.counts.add(LatencySketch.bucketOf(sample.latencyMs));
    if (sample.fault) faults++;
    if (sample.at < earliestAt) earliestAt = sample.at;
    if (sample.at > latestAt) latestAt = sample.at;
  }
  const byWindow = new Map([...counts.entries()].sort(([a], [b]) => a - b));
  return { samples: valid, windows, byWindow, faults, earliestAt, latestAt };
}

function isValid(sample: JudgedSample): boolean {
  return Number.isFinite(sample.latencyMs) && sample.latencyMs >= 0 && Number.isFinite(sample.at);
}
