import type { SpanRecord } from './span-records';
import { spanRecordsOfTrace } from './span-records';
import type { TraceStore } from './trace-store';

/** One log event of `aws/spans`: its @timestamp (the span's start, cloud ms), when it was written, its record. */
export interface SpanEvent {
  timestamp: number;
  ingestedAt: number;
  record: SpanRecord;
}

const RETENTION_MS = 6 * 60 * 60 * 1000;

/**
 * What Transaction Search writes to `aws/spans`: every OTLP span as it arrives, and every X-Ray segment
 * and subsegment (derived from the trace store when read, so a subsegment streamed before its segment
 * still gets its service's name).
 */
export class SpanStore {
  private readonly events: SpanEvent[] = [];

  constructor(private readonly traces: TraceStore) {}

  add(record: SpanRecord, ingestedAt: number): void {
    this.events.push({ timestamp: Number(record.startTimeUnixNano / 1_000_000n), ingestedAt, record });
    if (this.events.length % 4096 === 0) {
      const kept = this.events.filter((event) => event.ingestedAt >= ingestedAt - RETENTION_MS);
      this.events.splice(0, this.events.length, ...kept);
    }
  }

  /** Every event written by `now` (cloud ms). */
  written(now: number): SpanEvent[] {
    const fromTraces = this.traces.all().flatMap((trace) =>
      trace.lastReceivedAt > now
        ? []
        : spanRecordsOfTrace(trace).map((record) => ({
            timestamp: Number(record.startTimeUnixNano / 1_000_000n),
            ingestedAt: trace.lastReceivedAt,
            record,
          })),
    );
    return [...this.events.filter((event) => event.ingestedAt <= now), ...fromTraces];
  }
}
