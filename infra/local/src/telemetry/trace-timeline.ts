import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';

const ANCHOR_RETENTION_MS = 60 * 60 * 1000;

/**
 * Maps a trace's REAL times to cloud time with one anchor per trace: the first instant seen of a trace
 * goes through `clock.toCloudTime`, and every other instant of it keeps its real offset from that one.
 * So durations and the nesting of segments, subsegments and spans stay exactly as measured, whichever
 * process or protocol reported them and in whatever order.
 */
export class TraceTimeline {
  private readonly anchors = new Map<string, { real: number; cloud: number }>();

  constructor(private readonly clock: ScaledClock) {}

  /** Cloud ms of a real ms instant of trace `traceKey` (any stable key: the 32 hex digits). */
  toCloudMs(traceKey: string, realMs: number): number {
    let anchor = this.anchors.get(traceKey);
    if (!anchor) {
      anchor = { real: realMs, cloud: this.clock.toCloudTime(realMs) };
      this.anchors.set(traceKey, anchor);
      if (this.anchors.size % 1024 === 0) this.prune();
    }
    return anchor.cloud + (realMs - anchor.real);
  }

  private prune(): void {
    const oldest = this.clock.now() - ANCHOR_RETENTION_MS;
    for (const [key, anchor] of this.anchors) if (anchor.cloud < oldest) this.anchors.delete(key);
  }
}
