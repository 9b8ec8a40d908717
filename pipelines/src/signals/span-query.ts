import type { ResultField } from '@aws-sdk/client-cloudwatch-logs';
import type { TraceSample } from './ports';
import { quoted } from './query-literal';

/** Where CloudWatch Transaction Search keeps every span it ingests (CloudWatch user guide, "Spans"). */
export const SPAN_LOG_GROUP = 'aws/spans';

/**
 * Which of the workload's spans stand for its requests.
 * - `server`: spans of kind SERVER. An OpenTelemetry HTTP service (SecureCart's containers, `shared/http.ts`)
 *   makes one per request, and stamps `release` on every span, its CLIENT and INTERNAL ones too.
 * - `annotated`: every span with a `release` attribute. Powertools annotates one subsegment per Lambda
 *   invocation (`## <service>`); X-Ray converts segments to spans for `aws/spans`, and samples of that
 *   log group show annotations as attributes under their own key. (Not checked against a live account
 *   here: see docs/signals-cost.md, "What is assumed".)
 */
export type EntrySpans = 'server' | 'annotated';

/**
 * The fields of an `aws/spans` record that make a sample. The records are OpenTelemetry spans in JSON
 * ("semantic convention format", X-Ray segments converted to it): `traceId` is the W3C form (32 hex
 * digits), times are Unix nanoseconds, `status.code` is UNSET, OK or ERROR, the HTTP status is
 * `attributes.http.response.status_code` (current semantic conventions) or `attributes.http.status_code`
 * (older ones; published samples of converted X-Ray segments have this one).
 */
const FIELDS = [
  'traceId',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'status.code',
  'attributes.http.response.status_code',
  'attributes.http.status_code',
] as const;

export interface SpanSelection {
  serviceName: string;
  version: string;
  entry: EntrySpans;
  /** Spans that started in [from, to) (ms since the epoch). */
  from: number;
  to: number;
}

/**
 * The Logs Insights query for the spans of one release of one service that started in a window.
 * - `ispresent(endTimeUnixNano)` leaves out the snapshots of spans still in progress, which share
 *   their span id with the finished record.
 * - The start-time bounds make `recordsMatched` count exactly the window's spans, whatever the log
 *   events' @timestamp is, so a window too big for one query is known to be so. StartQuery's own range
 *   is whole seconds. (Should Logs Insights compare these numbers as doubles, a bound moves by at most
 *   128 ns; the cursor's overlap puts every window edge inside another read's window.)
 */
export function spanQuery(selection: SpanSelection): string {
  const conditions = [
    `resource.attributes.service.name = ${quoted(selection.serviceName, 'service name')}`,
    `attributes.release = ${quoted(selection.version, 'release version')}`,
    'ispresent(endTimeUnixNano)',
    ...(selection.entry === 'server' ? ['kind = "SERVER"'] : []),
    `startTimeUnixNano >= ${nanos(selection.from)}`,
    `startTimeUnixNano < ${nanos(selection.to)}`,
  ];
  return `filter ${conditions.join(' and ')}\n| fields ${FIELDS.join(', ')}`;
}

function nanos(ms: number): string {
  return (BigInt(Math.floor(ms)) * 1_000_000n).toString();
}

/** One result row as a sample, or undefined when it lacks what a sample needs. */
export function spanSample(row: readonly ResultField[]): TraceSample | undefined {
  const fields = new Map(row.map((cell) => [cell.field, cell.value]));
  const traceId = fields.get('traceId');
  const start = nanosOf(fields.get('startTimeUnixNano'));
  const end = nanosOf(fields.get('endTimeUnixNano'));
  if (!traceId || start === undefined || end === undefined || end < start) return undefined;
  const status = Number(
    fields.get('attributes.http.response.status_code') ?? fields.get('attributes.http.status_code'),
  );
  return {
    traceId: xrayTraceId(traceId),
    at: Number(start / 1_000_000n),
    latencyMs: Number(end - start) / 1e6,
    fault: isFault(fields.get('status.code'), Number.isFinite(status) ? status : undefined),
  };
}

/**
 * Unix nanoseconds, exactly when the value is written out in digits (a double cannot hold them: at
 * today's dates it is off by up to 128 ns, enough to put a span in the millisecond before).
 */
function nanosOf(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return BigInt(value);
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? BigInt(Math.round(number)) : undefined;
}

/** A 5xx, or an ERROR status that is not a 4xx (an unhandled error, a converted X-Ray fault). */
function isFault(statusCode: string | undefined, httpStatus: number | undefined): boolean {
  if (httpStatus !== undefined && httpStatus >= 500) return true;
  if (statusCode !== 'ERROR') return false;
  return httpStatus === undefined || httpStatus < 400 || httpStatus >= 500;
}

/** The X-Ray form (`1-` + 8 + `-` + 24 hex digits), as the X-Ray source and the workloads' logs print it. */
function xrayTraceId(id: string): string {
  return /^[0-9a-f]{32}$/i.test(id) ? `1-${id.slice(0, 8)}-${id.slice(8)}` : id;
}
