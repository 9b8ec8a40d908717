/** An X-Ray segment or subsegment document, as the daemon receives it (times in epoch seconds). */
export type SegmentDocument = Record<string, unknown>;

/** Where a document came from: the X-Ray daemon / a platform (`xray`), or an OTLP span converted (`otlp`). */
export type DocumentSource = 'xray' | 'otlp';

export interface StoredTrace {
  /** The X-Ray form, `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`. */
  id: string;
  /** Documents by id (a later copy of the same id, e.g. the finished one after in_progress, replaces it). */
  documents: Map<string, { document: SegmentDocument; source: DocumentSource }>;
  /** Cloud time the last document arrived. */
  lastReceivedAt: number;
}

const RETENTION_MS = 6 * 60 * 60 * 1000;

/** Segment documents grouped into traces by `trace_id`, times already in cloud time. */
export class TraceStore {
  private readonly traces = new Map<string, StoredTrace>();

  put(document: SegmentDocument, source: DocumentSource, receivedAt: number): void {
    const id = xrayTraceId(document.trace_id);
    const documentId = document.id;
    if (!id || typeof documentId !== 'string') return;
    let trace = this.traces.get(id);
    if (!trace) {
      trace = { id, documents: new Map(), lastReceivedAt: receivedAt };
      this.traces.set(id, trace);
    }
    trace.documents.set(documentId, { document, source });
    trace.lastReceivedAt = Math.max(trace.lastReceivedAt, receivedAt);
    if (this.traces.size % 1024 === 0) this.prune(receivedAt);
  }

  all(): StoredTrace[] {
    return [...this.traces.values()];
  }

  private prune(now: number): void {
    for (const [id, trace] of this.traces) {
      if (trace.lastReceivedAt < now - RETENTION_MS) this.traces.delete(id);
    }
  }
}

/** A trace id in X-Ray form from either form (X-Ray's, or the 32 hex digits of W3C / OTLP). */
export function xrayTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^1-[0-9a-f]{8}-[0-9a-f]{24}$/i.test(value)) return value.toLowerCase();
  if (/^[0-9a-f]{32}$/i.test(value)) return `1-${value.slice(0, 8)}-${value.slice(8)}`.toLowerCase();
  return undefined;
}

/** The 32 hex digits (W3C form) of an X-Ray trace id. */
export function w3cTraceId(xrayId: string): string {
  return xrayId.replace(/^1-/, '').replace('-', '');
}
