import {
  type GetQueryResultsCommandInput,
  type GetQueryResultsCommandOutput,
  MalformedQueryException,
  type QueryStatus,
  ResourceNotFoundException,
  type ResultField,
  type StartQueryCommandInput,
  type StartQueryCommandOutput,
  type StopQueryCommandInput,
  type StopQueryCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import type { VirtualClock } from '../../src/time/clock';
import { modelled } from '../aws/validated-mock';

/** A span record as `aws/spans` holds it (OpenTelemetry JSON), and when it was written there. */
export interface StoredSpan {
  record: SpanRecord;
  visibleAt: number;
}

interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  startTimeUnixNano: number;
  endTimeUnixNano?: number;
  status: { code: string };
  attributes: Record<string, string | number | boolean | string[]>;
  resource: { attributes: Record<string, string> };
}

type Operation = 'StartQuery' | 'GetQueryResults' | 'StopQuery';

interface RunningQuery {
  logGroup: string;
  start: number;
  end: number;
  service: string;
  release: string;
  serverOnly: boolean;
  fromNs: number;
  toNs: number;
  fields: string[];
  limit: number;
  polls: number;
  status: QueryStatus;
  /** How it ends when its time comes: Complete, another terminal status, or Running for ever. */
  ending: QueryStatus;
  rows?: ResultField[][];
  statistics?: { recordsMatched: number; recordsScanned: number; bytesScanned: number };
}

export interface FakeInsightsOptions {
  /** The GetQueryResults call that finds the query finished (1: the first); earlier ones say Scheduled, then Running. */
  completesOnPoll?: number;
  /** Which span time is the log event's @timestamp (what StartQuery's time range selects on). */
  timestamp?: 'start' | 'end';
}

const QUERY = new RegExp(
  [
    '^filter resource\\.attributes\\.service\\.name = "([^"]+)"',
    ' and attributes\\.release = "([^"]+)"',
    ' and ispresent\\(endTimeUnixNano\\)',
    '( and kind = "SERVER")?',
    ' and startTimeUnixNano >= (\\d+) and startTimeUnixNano < (\\d+)',
    '\\n\\| fields (.+)$',
  ].join(''),
);

/**
 * A stateful CloudWatch Logs Insights over the `aws/spans` log group: StartQuery schedules a query,
 * GetQueryResults says Scheduled, then Running (with partial results), then Complete, and pages the
 * results by `maxItems` with a `nextToken`; StopQuery cancels. The scan happens when the query
 * completes, over the spans written by then whose @timestamp second is in [startTime, endTime]. It
 * understands only the query form Tollgate sends. `recordsMatched` counts every match, `limit` cuts
 * the rows, `bytesScanned` is the size of every span in the time range, matched or not.
 */
export class FakeInsights {
  private readonly spans: StoredSpan[] = [];
  private readonly queries = new Map<string, RunningQuery>();
  /** Statuses the next queries end in instead of Complete. */
  private readonly endings: QueryStatus[] = [];
  private readonly failures = new Map<Operation, Error[]>();
  /** Transaction Search off: there is no aws/spans log group. */
  logGroupMissing = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly options: FakeInsightsOptions = {},
  ) {}

  add(...spans: StoredSpan[]): void {
    this.spans.push(...spans);
  }

  /** The next `times` calls of `operation` throw `error`. */
  fail(operation: Operation, error: Error, times = 1): void {
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), ...Array(times).fill(error)]);
  }

  /** The next query ends `status` (Failed, Cancelled, Timeout, Unknown) or stays `Running`. */
  endNextQuery(status: QueryStatus): void {
    this.endings.push(status);
  }

  startQuery(input: StartQueryCommandInput): StartQueryCommandOutput {
    this.throwIfFailing('StartQuery');
    if (input.logGroupName !== 'aws/spans' || this.logGroupMissing) {
      throw new ResourceNotFoundException({
        message: 'The specified log group does not exist.',
        $metadata: {},
      });
    }
    const parsed = QUERY.exec(input.queryString ?? '');
    if (!parsed || input.queryLanguage !== 'CWLI') {
      throw new MalformedQueryException({ message: 'unexpected query', $metadata: {} });
    }
    const [, service = '', release = '', server, fromNs = '', toNs = '', fields = ''] = parsed;
    const { startTime = 0, endTime = 0, limit = 10_000 } = input;
    if (!Number.isInteger(startTime) || !Number.isInteger(endTime) || limit > 100_000 || limit < 1) {
      throw new Error(`the fake refuses startTime ${startTime}, endTime ${endTime}, limit ${limit}`);
    }
    const queryId = `query-${this.queries.size + 1}`;
    this.queries.set(queryId, {
      logGroup: input.logGroupName,
      start: startTime,
      end: endTime,
      service,
      release,
      serverOnly: server !== undefined,
      // Logs Insights compares numbers as doubles, as Number() does here.
      fromNs: Number(fromNs),
      toNs: Number(toNs),
      fields: fields.split(', '),
      limit,
      polls: 0,
      status: 'Scheduled',
      ending: this.endings.shift() ?? 'Complete',
    });
    return modelled('@aws-sdk/client-cloudwatch-logs', 'StartQuery', { queryId, $metadata: {} });
  }

  getQueryResults(input: GetQueryResultsCommandInput): GetQueryResultsCommandOutput {
    this.throwIfFailing('GetQueryResults');
    const query = this.queries.get(input.queryId ?? '');
    if (!query) throw new ResourceNotFoundException({ message: 'unknown query', $metadata: {} });
    if (!input.nextToken) this.advance(query);
    const rows = query.status === 'Complete' ? (query.rows ?? []) : this.scan(query).rows.slice(0, 3);
    const offset = input.nextToken ? Number(input.nextToken) : 0;
    const size = Math.min(input.maxItems ?? 1000, 10_000);
    const page = rows.slice(offset, offset + size);
    const more = query.status === 'Complete' && offset + size < rows.length;
    return modelled('@aws-sdk/client-cloudwatch-logs', 'GetQueryResults', {
      queryLanguage: 'CWLI',
      status: query.status,
      results: page,
      ...(query.statistics ? { statistics: query.statistics } : {}),
      ...(more ? { nextToken: String(offset + size) } : {}),
      $metadata: {},
    });
  }

  stopQuery(input: StopQueryCommandInput): StopQueryCommandOutput {
    this.throwIfFailing('StopQuery');
    const query = this.queries.get(input.queryId ?? '');
    const stopped = query !== undefined && (query.status === 'Running' || query.status === 'Scheduled');
    if (query && stopped) query.status = 'Cancelled';
    return modelled('@aws-sdk/client-cloudwatch-logs', 'StopQuery', { success: stopped, $metadata: {} });
  }

  private throwIfFailing(operation: Operation): void {
    const failure = this.failures.get(operation)?.shift();
    if (failure) throw failure;
  }

  private advance(query: RunningQuery): void {
    if (query.status !== 'Scheduled' && query.status !== 'Running') return;
    query.polls += 1;
    if (query.polls < (this.options.completesOnPoll ?? 1) || query.ending === 'Running') {
      query.status = query.polls === 1 ? 'Scheduled' : 'Running';
      return;
    }
    if (query.ending !== 'Complete') {
      query.status = query.ending;
      return;
    }
    const { rows, statistics } = this.scan(query);
    query.rows = rows.slice(0, query.limit);
    query.statistics = statistics;
    query.status = 'Complete';
  }

  private scan(query: RunningQuery) {
    const now = this.clock.now();
    const inRange = this.spans.filter(({ record, visibleAt }) => {
      if (visibleAt > now) return false;
      const at =
        this.options.timestamp === 'end'
          ? (record.endTimeUnixNano ?? record.startTimeUnixNano)
          : record.startTimeUnixNano;
      const second = Math.floor(at / 1e9);
      return second >= query.start && second <= query.end;
    });
    const matched = inRange
      .map(({ record }) => record)
      .filter(
        (record) =>
          record.resource.attributes['service.name'] === query.service &&
          record.attributes.release === query.release &&
          record.endTimeUnixNano !== undefined &&
          (!query.serverOnly || record.kind === 'SERVER') &&
          record.startTimeUnixNano >= query.fromNs &&
          record.startTimeUnixNano < query.toNs,
      )
      .sort((a, b) => b.startTimeUnixNano - a.startTimeUnixNano);
    const bytesScanned = inRange.reduce((sum, { record }) => sum + JSON.stringify(record).length, 0);
    return {
      rows: matched.map((record, i) => rowOf(record, query.fields, `ptr-${i}`)),
      statistics: { recordsMatched: matched.length, recordsScanned: inRange.length, bytesScanned },
    };
  }
}

/** A result row: the requested fields the record has, as strings, and the @ptr Logs Insights adds. */
function rowOf(record: SpanRecord, fields: string[], ptr: string): ResultField[] {
  const row: ResultField[] = [];
  for (const field of fields) {
    const value = fieldOf(record, field);
    if (value !== undefined) row.push({ field, value: String(value) });
  }
  row.push({ field: '@ptr', value: ptr });
  return row;
}

/** Logs Insights flattens JSON keys with dots: `attributes.http.status_code` is attributes["http.status_code"]. */
function fieldOf(record: SpanRecord, field: string): unknown {
  if (field.startsWith('attributes.')) return record.attributes[field.slice('attributes.'.length)];
  if (field === 'status.code') return record.status.code;
  return (record as unknown as Record<string, unknown>)[field];
}
