import type { GetTraceSummariesCommandInput, TraceSummary } from '@aws-sdk/client-xray';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { StoredTrace, TraceStore } from '../../telemetry/trace-store';
import { AwsServiceError, type OperationContext, type ServiceDefinition } from '../service';
import { type Filter, FilterSyntaxError, matches, parseFilter } from './filter-expression';
import { type IndexedTrace, indexTrace } from './trace-summary';

export interface XRayServiceOptions {
  clock: ScaledClock;
  traces: TraceStore;
  /** Cloud ms between a trace's last document and its showing in summaries (X-Ray's indexing). */
  settleMs?: number;
  /** Summaries per page. */
  pageSize?: number;
}

export interface XRayService {
  definition: ServiceDefinition;
  close(): Promise<void>;
}

const DEFAULT_SETTLE_MS = 5_000;
const DEFAULT_PAGE_SIZE = 100;
/** GetTraceSummaries accepts a time range of at most 24 hours (a documented X-Ray limit of the console's API). */
const MAX_RANGE_MS = 24 * 60 * 60 * 1000;
const MAX_PAGED_QUERIES = 32;

interface QueryResult {
  matching: IndexedTrace[];
  processed: number;
}

/** X-Ray's GetTraceSummaries over the trace store, in the restJson1 protocol the SDK speaks (signing name `xray`). */
export function createXRayService(options: XRayServiceOptions): XRayService {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const indexes = new WeakMap<StoredTrace, { version: string; indexed: IndexedTrace | undefined }>();
  const indexOf = (trace: StoredTrace): IndexedTrace | undefined => {
    const version = `${trace.lastReceivedAt}/${trace.documents.size}`;
    const cached = indexes.get(trace);
    if (cached?.version === version) return cached.indexed;
    const indexed = indexTrace(trace);
    indexes.set(trace, { version, indexed });
    return indexed;
  };
  // A query's result set as its first page saw it, so later pages page the same list (as X-Ray's do).
  const pages = new Map<string, QueryResult>();
  const query = (
    input: GetTraceSummariesCommandInput,
    now: number,
    from: number,
    to: number,
  ): QueryResult => {
    const filter = input.FilterExpression ? filterOf(input.FilterExpression) : undefined;
    const inRange = options.traces
      .all()
      .filter((trace) => trace.lastReceivedAt + settleMs <= now)
      .map(indexOf)
      .filter((trace): trace is IndexedTrace => trace?.complete === true)
      .filter((trace) => inTimeRange(trace, input.TimeRangeType ?? 'TraceId', from, to));
    const matching = inRange
      .filter((trace) => !filter || matches(filter, trace))
      .sort((a, b) => b.start - a.start || a.id.localeCompare(b.id));
    const result = { matching, processed: inRange.length };
    pages.set(queryKey(input), result);
    while (pages.size > MAX_PAGED_QUERIES) pages.delete(pages.keys().next().value as string);
    return result;
  };
  const getTraceSummaries = (input: GetTraceSummariesCommandInput, context: OperationContext) => {
    const now = context.clock.now();
    const from = (input.StartTime as Date).getTime();
    const to = (input.EndTime as Date).getTime();
    checkRange(from, to);
    if (input.Sampling === true) {
      throw new AwsServiceError(
        'InvalidRequestException',
        'Sampling is not supported by the local X-Ray: send Sampling false',
      );
    }
    const offset = offsetOf(input.NextToken, input);
    const { matching, processed } =
      (offset > 0 ? pages.get(queryKey(input)) : undefined) ?? query(input, now, from, to);
    const page = matching.slice(offset, offset + pageSize);
    const more = offset + pageSize < matching.length;
    return {
      TraceSummaries: page.map(summaryOf),
      ApproximateTime: new Date(now),
      TracesProcessedCount: processed,
      ...(more ? { NextToken: tokenOf(offset + pageSize, input) } : {}),
    };
  };
  return {
    definition: {
      signingName: 'xray',
      sdkPackage: '@aws-sdk/client-xray',
      protocol: 'restJson1',
      operations: { GetTraceSummaries: getTraceSummaries },
    },
    close: async () => {},
  };
}

function checkRange(from: number, to: number): void {
  if (!(to > from)) throw new AwsServiceError('InvalidRequestException', 'EndTime must be after StartTime');
  if (to - from > MAX_RANGE_MS) {
    throw new AwsServiceError(
      'InvalidRequestException',
      'The time range between StartTime and EndTime must be at most 24 hours',
    );
  }
}

function filterOf(expression: string): Filter {
  try {
    return parseFilter(expression);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    throw new AwsServiceError(
      'InvalidRequestException',
      `Invalid filter expression ${JSON.stringify(expression)}: ${error.message}. The local X-Ray understands service("…"), annotation.<key> = / != <value>, AND, OR, NOT and parentheses`,
    );
  }
}

/**
 * TraceId: when the trace began (X-Ray reads it from the id; ids made here carry real seconds, so the
 * trace's start in cloud time stands for it); Event: active during the range; Service: a segment ended in it.
 */
function inTimeRange(trace: IndexedTrace, type: string, from: number, to: number): boolean {
  if (type === 'Event') return trace.start <= to && trace.end >= from;
  if (type === 'Service') return trace.segmentEnds.some((end) => end >= from && end <= to);
  return trace.start >= from && trace.start <= to;
}

function summaryOf(trace: IndexedTrace): TraceSummary {
  const annotations = Object.fromEntries(
    [...trace.annotations].map(([key, values]) => [
      key,
      values.map(({ value, services }) => ({
        AnnotationValue: annotationValue(value),
        ServiceIds: services,
      })),
    ]),
  );
  return {
    Id: trace.id,
    StartTime: new Date(trace.start),
    Duration: (trace.end - trace.start) / 1000,
    ResponseTime: trace.responseTimeMs / 1000,
    HasFault: trace.hasFault,
    HasError: trace.hasError,
    HasThrottle: trace.hasThrottle,
    IsPartial: false,
    Annotations: annotations,
    ServiceIds: trace.services,
    EntryPoint: trace.entryPoint,
    ...(trace.http ? { Http: trace.http } : {}),
  };
}

function annotationValue(value: string | number | boolean) {
  if (typeof value === 'number') return { NumberValue: value };
  if (typeof value === 'boolean') return { BooleanValue: value };
  return { StringValue: value };
}

/** Tokens name the query they page, so a token from another query is refused as AWS refuses it. */
function tokenOf(offset: number, input: GetTraceSummariesCommandInput): string {
  return Buffer.from(JSON.stringify({ offset, query: queryKey(input) })).toString('base64');
}

function offsetOf(token: string | undefined, input: GetTraceSummariesCommandInput): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
      offset: number;
      query: string;
    };
    if (parsed.query === queryKey(input) && Number.isInteger(parsed.offset)) return parsed.offset;
  } catch {}
  throw new AwsServiceError('InvalidRequestException', 'The NextToken is not valid for this query');
}

function queryKey(input: GetTraceSummariesCommandInput): string {
  return JSON.stringify([
    (input.StartTime as Date).getTime(),
    (input.EndTime as Date).getTime(),
    input.TimeRangeType,
    input.FilterExpression,
  ]);
}
