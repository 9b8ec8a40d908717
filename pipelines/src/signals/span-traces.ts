import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AwsCallError } from '../aws/aws-error';
import type { Permission } from '../aws/permission';
import type { Clock } from '../time/clock';
import { type InsightsRun, MAX_QUERY_LIMIT, runInsightsQuery } from './insights-query';
import type { TraceSample, TraceSource, TraceTiming, TraceWindow } from './ports';
import { quoted } from './query-literal';
import { type EntrySpans, SPAN_LOG_GROUP, spanQuery, spanSample } from './span-query';

export const PERMISSIONS: readonly Permission[] = [
  {
    action: 'logs:StartQuery',
    resource: `the ${SPAN_LOG_GROUP} log group (arn:aws:logs:<region>:<account>:log-group:${SPAN_LOG_GROUP}:*)`,
    why: 'query the canary and baseline spans of the workload every bake poll (spans trace source)',
  },
  {
    action: 'logs:GetQueryResults',
    resource: '*',
    why: 'wait for those queries and read their results',
  },
  {
    action: 'logs:StopQuery',
    // StopQuery does not take a log group resource: the query id is all it names.
    resource: '*',
    why: 'stop a query that ran too long or whose results could not be read, so it stops scanning',
  },
];

/**
 * CloudWatch documents no delivery delay for `aws/spans`. A span goes the X-Ray way (SDK or collector
 * flush, X-Ray ingestion) and is then written to the log group, which takes from tens of seconds to a
 * couple of minutes. So a window is read 60 s after it ends and re-read for 90 s more: a span written
 * within 2.5 minutes of its request is counted once, a later one is missed. The overlap's price is
 * scanning: each poll scans 90 s of the log group more than the new data.
 */
export const SPAN_TIMING: TraceTiming = { settleMs: 60_000, overlapMs: 90_000 };

const DEFAULT_MAX_WAIT_MS = 120_000;

export interface SpanTracesOptions {
  client: CloudWatchLogsClient;
  /** Sleeps between polls of a running query. */
  clock: Clock;
  /** The workload the windows name; a window for another workload is refused. */
  workload: string;
  /** The spans' `service.name` resource attribute: the target's `xrayServiceName`. */
  serviceName: string;
  entrySpans: EntrySpans;
  timing?: TraceTiming;
  /** Result rows one query may return before its window is split (default and most: 100,000). */
  limit?: number;
  /** How long one query may run before it is stopped and the read fails (default 2 minutes). */
  maxWaitMs?: number;
}

/**
 * One version's requests of one workload from the spans CloudWatch Transaction Search keeps in
 * `aws/spans` (all ingested spans, where X-Ray trace summaries then index only a share, 1% by default).
 *
 * A window is one Logs Insights query over the seconds it covers, filtered to the spans that started in
 * it. When it holds more matching spans than one query returns (`recordsMatched` above the rows
 * returned), that result is thrown away and the window is queried again in as many slices as the
 * match count says, recursively; a millisecond with more than `limit` spans is an error. Memory holds
 * one page of rows (10,000), one query's samples (up to `limit`) and four fields per trace of the window.
 *
 * Each trace counts once, by its earliest span in the window (the workload's entry span), so a request
 * whose spans all carry `release` is still one sample; its latency is that span's end minus start.
 */
export class SpanTraces implements TraceSource {
  readonly timing: TraceTiming;
  private readonly limit: number;
  private readonly maxWaitMs: number;

  constructor(private readonly options: SpanTracesOptions) {
    quoted(options.serviceName, 'service name');
    this.timing = options.timing ?? SPAN_TIMING;
    this.limit = Math.min(options.limit ?? MAX_QUERY_LIMIT, MAX_QUERY_LIMIT);
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  }

  async read(window: TraceWindow): Promise<TraceSample[]> {
    const { workload, client, clock } = this.options;
    if (window.workload !== workload) {
      throw new Error(`the span trace source of ${workload} was asked for spans of ${window.workload}`);
    }
    const run: InsightsRun = {
      client,
      clock,
      maxWaitMs: this.maxWaitMs,
      what: `spans of ${workload} ${window.version}`,
    };
    const traces = new Map<string, TraceSample>();
    await this.readSlice(run, window.version, window.from, window.to, traces);
    return [...traces.values()];
  }

  /** Adds the entry spans of [from, to) to `traces`, splitting the slice while one query cannot hold it. */
  private async readSlice(
    run: InsightsRun,
    version: string,
    from: number,
    to: number,
    traces: Map<string, TraceSample>,
  ): Promise<void> {
    const { serviceName, entrySpans } = this.options;
    const found = new Map<string, TraceSample>();
    const query = {
      logGroupName: SPAN_LOG_GROUP,
      startTime: Math.floor(from / 1000),
      endTime: Math.ceil(to / 1000),
      queryString: spanQuery({ serviceName, version, entry: entrySpans, from, to }),
      limit: this.limit,
    };
    const outcome = await runInsightsQuery(run, query, (row) => {
      const sample = spanSample(row);
      if (sample && sample.at >= from && sample.at < to) keepEarliest(found, sample);
    }).catch((error: unknown) => {
      throw explained(error);
    });
    if (outcome.rows < this.limit && outcome.recordsMatched <= outcome.rows) {
      for (const sample of found.values()) keepEarliest(traces, sample);
      return;
    }
    const slices = evenSlices(from, to, Math.ceil(outcome.recordsMatched / this.limit) + 1);
    if (slices.length < 2) {
      throw new Error(
        `more than ${this.limit} ${run.what} started within ${to - from} ms (from ${new Date(from).toISOString()}); one Logs Insights query cannot return them all`,
      );
    }
    for (const [start, end] of slices) await this.readSlice(run, version, start, end, traces);
  }
}

/** A trace's earliest span in the window is its entry into the workload; later ones are inside it. */
function keepEarliest(traces: Map<string, TraceSample>, sample: TraceSample): void {
  const kept = traces.get(sample.traceId);
  if (!kept || sample.at < kept.at || (sample.at === kept.at && sample.latencyMs > kept.latencyMs)) {
    traces.set(sample.traceId, sample);
  }
}

/** [from, to) cut into `count` slices of whole milliseconds; a single slice when it is too narrow to cut. */
export function evenSlices(from: number, to: number, count: number): [number, number][] {
  const parts = Math.max(1, Math.min(count, to - from));
  const edges = Array.from({ length: parts + 1 }, (_, i) => from + Math.round(((to - from) * i) / parts));
  return edges.slice(1).map((end, i) => [edges[i] as number, end]);
}

/** The one failure with a fix the user has to make: no `aws/spans` log group. */
function explained(error: unknown): unknown {
  if (!(error instanceof AwsCallError) || error.kind !== 'not-found') return error;
  return new Error(
    `${error.message.replace(/\.$/, '')}. The ${SPAN_LOG_GROUP} log group exists once CloudWatch Transaction Search is turned on in the account and Region; turn it on, or read traces from X-Ray (trace source "xray")`,
    { cause: error },
  );
}
