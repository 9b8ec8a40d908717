import { owningSegment } from '../../telemetry/span-records';
import type { SegmentDocument, StoredTrace } from '../../telemetry/trace-store';

type Annotation = string | number | boolean;

export interface ServiceRef {
  Name: string;
  Names: string[];
  Type?: string;
  AccountId?: string;
}

/** What X-Ray's index knows of a trace: a TraceSummary, plus what filters and time ranges select on. */
export interface IndexedTrace {
  id: string;
  /** Cloud ms. */
  start: number;
  end: number;
  responseTimeMs: number;
  hasFault: boolean;
  hasError: boolean;
  hasThrottle: boolean;
  /** Every document has ended and the root segment is there. */
  complete: boolean;
  services: ServiceRef[];
  annotations: Map<string, { value: Annotation; services: ServiceRef[] }[]>;
  entryPoint: ServiceRef;
  http?: { HttpURL?: string; HttpStatus?: number; HttpMethod?: string };
  segmentEnds: number[];
}

/**
 * The summary of one stored trace. The root segment is the top-level segment whose parent is not in the
 * trace (the earliest such). HasFault / HasError are the root's, or those of a segment of the same
 * service under it (a Lambda's AWS::Lambda::Function segment under its AWS::Lambda one, one node name):
 * the API reference says "the root segment document has a 500 series error". HasThrottle is any
 * document's. Annotations are every document's, nested subsegments' too, each value with the services
 * whose segments carry it.
 */
export function indexTrace(trace: StoredTrace): IndexedTrace | undefined {
  const documents = [...trace.documents.values()].map((entry) => entry.document);
  const byId = new Map(documents.map((d) => [String(d.id), d]));
  const segments = documents.filter((d) => d.type !== 'subsegment');
  const roots = segments
    .filter((s) => typeof s.parent_id !== 'string' || !reachable(s.parent_id, byId))
    .sort((a, b) => num(a.start_time) - num(b.start_time));
  const root = roots[0];
  if (!root) return undefined;
  const all = documents.flatMap((d) => flatten(d));
  const starts = all.map((d) => num(d.start_time)).filter(Number.isFinite);
  const ends = all.map((d) => num(d.end_time)).filter(Number.isFinite);
  const entry = segments.filter((s) => s === root || s.name === root.name);
  const indexed: IndexedTrace = {
    id: trace.id,
    start: Math.min(...starts) * 1000,
    end: (ends.length > 0 ? Math.max(...ends) : Math.min(...starts)) * 1000,
    responseTimeMs: (num(root.end_time) - num(root.start_time)) * 1000,
    hasFault: entry.some((s) => s.fault === true),
    hasError: entry.some((s) => s.error === true),
    hasThrottle: all.some((d) => d.throttle === true),
    complete: typeof root.end_time === 'number' && all.every((d) => d.in_progress !== true),
    services: distinct(segments.map(serviceOf)),
    annotations: annotationsOf(documents, byId),
    entryPoint: serviceOf(root),
    segmentEnds: segments.map((s) => num(s.end_time) * 1000).filter(Number.isFinite),
  };
  const http = httpOf(root);
  if (http) indexed.http = http;
  return indexed;
}

function annotationsOf(documents: SegmentDocument[], byId: Map<string, SegmentDocument>) {
  const annotations = new Map<string, { value: Annotation; services: ServiceRef[] }[]>();
  for (const document of documents) {
    const owner = owningSegment(document, byId);
    const service = owner ? serviceOf(owner) : undefined;
    for (const entry of flatten(document)) {
      const carried = (entry.annotations ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(carried)) {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
        const values = annotations.get(key) ?? [];
        let found = values.find((v) => v.value === value);
        if (!found) {
          found = { value, services: [] };
          values.push(found);
        }
        if (service && !found.services.some((s) => sameService(s, service))) found.services.push(service);
        annotations.set(key, values);
      }
    }
  }
  return annotations;
}

function reachable(id: string, byId: Map<string, SegmentDocument>): boolean {
  return containing(id, byId) !== undefined;
}

function containing(id: string, byId: Map<string, SegmentDocument>): SegmentDocument | undefined {
  return byId.get(id) ?? [...byId.values()].find((d) => flatten(d).some((entry) => entry.id === id));
}

/** A document and all its nested subsegments. */
function flatten(document: SegmentDocument): SegmentDocument[] {
  const children = Array.isArray(document.subsegments) ? (document.subsegments as SegmentDocument[]) : [];
  return [document, ...children.flatMap(flatten)];
}

function serviceOf(segment: SegmentDocument): ServiceRef {
  const name = String(segment.name ?? '');
  const service: ServiceRef = { Name: name, Names: [name] };
  if (typeof segment.origin === 'string') service.Type = segment.origin;
  const account = (segment.aws as { account_id?: unknown } | undefined)?.account_id;
  if (typeof account === 'string') service.AccountId = account;
  return service;
}

function sameService(a: ServiceRef, b: ServiceRef): boolean {
  return a.Name === b.Name && a.Type === b.Type && a.AccountId === b.AccountId;
}

function distinct(services: ServiceRef[]): ServiceRef[] {
  return services.filter((s, i) => services.findIndex((t) => sameService(s, t)) === i);
}

function httpOf(root: SegmentDocument): IndexedTrace['http'] | undefined {
  const http = root.http as {
    request?: { url?: unknown; method?: unknown };
    response?: { status?: unknown };
  };
  if (!http) return undefined;
  return {
    ...(typeof http.request?.url === 'string' ? { HttpURL: http.request.url } : {}),
    ...(typeof http.response?.status === 'number' ? { HttpStatus: http.response.status } : {}),
    ...(typeof http.request?.method === 'string' ? { HttpMethod: http.request.method } : {}),
  };
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}
