import type { Batch } from './batch';

/** How far back "the current rate" looks. */
const RECENT_MS = 5 * 60_000;

/**
 * The canary's recent arrival rate, from its samples' request times: samples per second over the
 * last five minutes of request times seen (or since the first, if that is sooner), counted per time
 * window. Fixed memory: one counter per window of the last five minutes.
 */
export class ArrivalRate {
  private readonly windows = new Map<number, number>();
  private earliest = Number.POSITIVE_INFINITY;
  private latest = Number.NEGATIVE_INFINITY;

  constructor(private readonly windowMs: number) {}

  /** Counts a poll's canary samples, and forgets windows older than the recent past. */
  add(canary: Batch): void {
    for (const [window, counts] of canary.byWindow) {
      this.windows.set(window, (this.windows.get(window) ?? 0) + counts.total);
    }
    this.earliest = Math.min(this.earliest, canary.earliestAt);
    this.latest = Math.max(this.latest, canary.latestAt);
    const oldest = Math.floor((this.latest - RECENT_MS) / this.windowMs);
    for (const window of this.windows.keys()) if (window < oldest) this.windows.delete(window);
  }

  /** Samples per second lately; undefined until the samples span at least half a minute. */
  perSecond(): number | undefined {
    const span = Math.min(RECENT_MS, this.latest - this.earliest);
    if (!(span >= 30_000)) return undefined;
    const from = Math.floor((this.latest - span) / this.windowMs);
    let samples = 0;
    for (const [window, count] of this.windows) if (window >= from) samples += count;
    const covered = this.latest - Math.max(this.earliest, from * this.windowMs);
    return samples / (covered / 1000);
  }
}
