import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { emfData } from './emf';
import { MetricStore } from './metric-store';
import { segmentOfSpan } from './otlp-segments';
import { otlpSpans } from './otlp-spans';
import { spanRecordOfOtlp } from './span-records';
import { SpanStore } from './span-store';
import {
  type DocumentSource,
  type SegmentDocument,
  TraceStore,
  w3cTraceId,
  xrayTraceId,
} from './trace-store';
import { TraceTimeline } from './trace-timeline';

export interface TelemetrySink {
  /** X-Ray segment documents as the daemon receives them (JSON objects; times in REAL epoch seconds). */
  segments(documents: readonly Record<string, unknown>[]): void;
  /** An OTLP/HTTP JSON ExportTraceServiceRequest (times in REAL unix nanos). */
  otlp(request: unknown): void;
  /** One line a workload wrote to stdout (EMF lines become metrics), with the log group it would go to. */
  logLine(logGroup: string, line: string, realEpochMs: number): void;
  /** A metric the platform itself vends (AWS/Lambda Errors, AWS/ApplicationELB HTTPCode_Target_5XX_Count, ...). */
  metric(datum: {
    namespace: string;
    name: string;
    dimensions: Record<string, string>;
    value: number;
    unit?: string;
    realEpochMs: number;
  }): void;
}

/** The stores the sink fills, read by the CloudWatch, X-Ray and Logs services. */
export interface TelemetryStores {
  metrics: MetricStore;
  traces: TraceStore;
  spans: SpanStore;
}

export interface TelemetrySinkOptions {
  clock: ScaledClock;
  /** The account a workload's log group belongs to (from the manifest), so its EMF metrics are that account's. */
  accountOfLogGroup?: (logGroup: string) => string | undefined;
}

export function createTelemetryStores(): TelemetryStores {
  const traces = new TraceStore();
  return { metrics: new MetricStore(), traces, spans: new SpanStore(traces) };
}

/** The sink over `stores`: REAL times become cloud time (per trace, see TraceTimeline), durations unchanged. */
export function createTelemetrySink(stores: TelemetryStores, options: TelemetrySinkOptions): TelemetrySink {
  const { clock } = options;
  const timeline = new TraceTimeline(clock);
  const putDocument = (document: Record<string, unknown>, source: DocumentSource) => {
    const id = xrayTraceId(document.trace_id);
    if (!id || typeof document.start_time !== 'number') return;
    const key = w3cTraceId(id);
    stores.traces.put(
      inCloudTime(document, (s) => timeline.toCloudMs(key, s * 1000) / 1000),
      source,
      clock.now(),
    );
  };
  return {
    segments(documents) {
      for (const document of documents) putDocument(document, 'xray');
    },
    otlp(request) {
      for (const span of otlpSpans(request)) {
        const startMs = Number(span.startNs / 1_000_000n);
        const cloudMs = timeline.toCloudMs(span.traceId, startMs);
        const cloudNs = BigInt(cloudMs) * 1_000_000n + (span.startNs % 1_000_000n);
        stores.spans.add(spanRecordOfOtlp(span, cloudNs), clock.now());
        putDocument(segmentOfSpan(span), 'otlp');
      }
    },
    logLine(logGroup, line, realEpochMs) {
      const account = options.accountOfLogGroup?.(logGroup);
      for (const datum of emfData(line, realEpochMs)) {
        const { realEpochMs: real, ...rest } = datum;
        stores.metrics.put({ ...rest, at: clock.toCloudTime(real), ...(account ? { account } : {}) });
      }
    },
    metric(datum) {
      const { realEpochMs, ...rest } = datum;
      stores.metrics.put({ ...rest, at: clock.toCloudTime(realEpochMs) });
    },
  };
}

/** A copy of a document and its nested subsegments with every time mapped; durations kept. */
function inCloudTime(document: SegmentDocument, toCloudSeconds: (real: number) => number): SegmentDocument {
  const copy: SegmentDocument = { ...document };
  if (typeof document.start_time === 'number') copy.start_time = toCloudSeconds(document.start_time);
  if (typeof document.end_time === 'number') copy.end_time = toCloudSeconds(document.end_time);
  if (Array.isArray(document.subsegments)) {
    copy.subsegments = (document.subsegments as SegmentDocument[]).map((child) =>
      inCloudTime(child, toCloudSeconds),
    );
  }
  return copy;
}
