import type { OtlpSpan } from './otlp-spans';
import { type SegmentDocument, type StoredTrace, w3cTraceId } from './trace-store';

/**
 * One record of the `aws/spans` log group: an OpenTelemetry span in JSON as Transaction Search writes
 * it (times in unix nanoseconds, held exactly as bigint; `kind` and `status.code` by name). Cloud time.
 */
export type SpanRecord = Record<string, unknown> & { startTimeUnixNano: bigint; endTimeUnixNano: bigint };

/** The record of an OTLP span whose start is `cloudStartNs` (its duration unchanged). */
export function spanRecordOfOtlp(span: OtlpSpan, cloudStartNs: bigint): SpanRecord {
  return {
    resource: { attributes: { ...span.resource } },
    scope: { ...span.scope },
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: cloudStartNs,
    endTimeUnixNano: cloudStartNs + (span.endNs - span.startNs),
    durationNano: span.endNs - span.startNs,
    attributes: { ...span.attributes },
    status: { ...span.status },
  };
}

/**
 * The records X-Ray writes to `aws/spans` for a trace's segment documents (those that came from X-Ray,
 * not converted OTLP spans, which have their own records): each segment and subsegment, nested or
 * streamed, one span. A segment is a SERVER span whose `service.name` is the segment's name; a
 * subsegment belongs to its enclosing segment's service. Annotations become attributes under their own
 * key, the HTTP status `http.status_code`, a fault or error the ERROR status.
 */
export function spanRecordsOfTrace(trace: StoredTrace): SpanRecord[] {
  const documents = [...trace.documents.values()].filter((d) => d.source === 'xray').map((d) => d.document);
  const byId = new Map(documents.map((document) => [String(document.id), document]));
  const records: SpanRecord[] = [];
  for (const document of documents) {
    if (document.in_progress === true || typeof document.end_time !== 'number') continue;
    const service = owningSegment(document, byId)?.name ?? document.name;
    walk(document, undefined, (entry, parent) => {
      const isSegment = entry === document && document.type !== 'subsegment';
      const record = recordOf(trace.id, entry, parent, String(service), isSegment);
      if (record) records.push(record);
    });
  }
  return records;
}

function walk(
  document: SegmentDocument,
  parent: string | undefined,
  visit: (entry: SegmentDocument, parent: string | undefined) => void,
): void {
  visit(document, parent ?? (typeof document.parent_id === 'string' ? document.parent_id : undefined));
  const children = Array.isArray(document.subsegments) ? (document.subsegments as SegmentDocument[]) : [];
  for (const child of children) walk(child, String(document.id), visit);
}

function recordOf(
  traceId: string,
  entry: SegmentDocument,
  parent: string | undefined,
  service: string,
  isSegment: boolean,
): SpanRecord | undefined {
  if (typeof entry.start_time !== 'number' || typeof entry.end_time !== 'number') return undefined;
  const start = BigInt(Math.round(entry.start_time * 1e6)) * 1000n;
  const end = BigInt(Math.round(entry.end_time * 1e6)) * 1000n;
  const status = (entry.http as { response?: { status?: unknown } } | undefined)?.response?.status;
  const annotations = (entry.annotations ?? {}) as Record<string, unknown>;
  return {
    resource: { attributes: { 'service.name': service } },
    traceId: w3cTraceId(traceId),
    spanId: String(entry.id),
    ...(parent ? { parentSpanId: parent } : {}),
    name: String(entry.name ?? ''),
    kind: isSegment
      ? 'SERVER'
      : entry.namespace === 'remote' || entry.namespace === 'aws'
        ? 'CLIENT'
        : 'INTERNAL',
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    durationNano: end - start,
    attributes: { ...annotations, ...(typeof status === 'number' ? { 'http.status_code': status } : {}) },
    status: { code: entry.fault === true || entry.error === true ? 'ERROR' : 'UNSET' },
  };
}

/** The top-level segment a document belongs to, through the `parent_id`s of streamed subsegments. */
export function owningSegment(
  document: SegmentDocument,
  byId: ReadonlyMap<string, SegmentDocument>,
): SegmentDocument | undefined {
  let current: SegmentDocument | undefined = document;
  for (let hops = 0; current && hops < 64; hops += 1) {
    if (current.type !== 'subsegment') return current;
    current = typeof current.parent_id === 'string' ? findById(current.parent_id, byId) : undefined;
  }
  return undefined;
}

/** A document by id, or the document holding a nested subsegment of that id. */
function findById(id: string, byId: ReadonlyMap<string, SegmentDocument>): SegmentDocument | undefined {
  const direct = byId.get(id);
  if (direct) return direct;
  for (const document of byId.values()) if (contains(document, id)) return document;
  return undefined;
}

function contains(document: SegmentDocument, id: string): boolean {
  const children = Array.isArray(document.subsegments) ? (document.subsegments as SegmentDocument[]) : [];
  return children.some((child) => child.id === id || contains(child, id));
}
