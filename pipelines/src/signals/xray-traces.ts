import { GetTraceSummariesCommand, type TraceSummary, type XRayClient } from '@aws-sdk/client-xray';
import { aws } from '../aws/aws-error';
import type { Permission } from '../aws/permission';
import type { TraceSample, TraceSource, TraceTiming, TraceWindow } from './ports';
import { quoted } from './query-literal';
import { releaseFilter } from './xray-filter';

export const PERMISSIONS: readonly Permission[] = [
  {
    action: 'xray:GetTraceSummaries',
    // GetTraceSummaries has no resource-level permissions: it reads every trace of the account and Region.
    resource: '*',
    why: 'read the canary and baseline traces of the workload every bake poll (xray trace source)',
  },
];

/**
 * X-Ray documents no indexing delay. A trace shows once its request has ended, the SDK or collector has
 * flushed it (the OpenTelemetry batch span processor waits up to 5 s by default) and X-Ray has indexed
 * it, which takes tens of seconds. So a window is read 30 s after it ends, and re-read for 90 s more:
 * a trace visible within 2 minutes of its request (a slow request, a slow flush) is still counted once;
 * one later than that is missed. The price of the overlap is pages: each poll re-reads 90 s of traces.
 */
export const XRAY_TIMING: TraceTiming = { settleMs: 30_000, overlapMs: 90_000 };

export interface XRayTracesOptions {
  client: XRayClient;
  /** The workload the windows name; a window for another workload is refused. */
  workload: string;
  /** The target's `xrayServiceName`. */
  serviceName: string;
  timing?: TraceTiming;
}

/**
 * One version's traces of one workload from X-Ray trace summaries, every page of a window.
 *
 * - `TimeRangeType: Event` returns "traces active during the range, regardless of when the trace began"
 *   (X-Ray developer guide, retrieving traces), so every trace that started in the window is there once
 *   indexed, whatever its trace id looks like (TraceId time is the time embedded in an X-Ray trace id, which a
 *   randomly generated W3C id does not carry). Traces that started earlier and were still active
 *   are dropped by their `StartTime`.
 * - Latency is `ResponseTime`, the root segment's start to end: what the caller waited. `Duration` runs
 *   to the last segment's end, so asynchronous work after the response would count as latency.
 * - A fault is `HasFault`: the root segment has a 5xx. `HasError` (4xx) and `HasThrottle` (429) are
 *   not faults of the version: clients cause most of them, and the gating alarms cover throttling.
 * - A summary still in progress (`IsPartial`) is skipped: the cursor keeps the first copy of a trace it
 *   sees, so it waits for the finished one, which a later read within the overlap returns.
 *
 * Memory: each page is reduced to four fields per trace before the next is fetched, so a window of many
 * thousands of traces holds only those. A throttle that outlasts the client's retries fails the whole
 * read (no partial window), which the gate records as an `error` reading; the cursor reads the same
 * window again at the next poll.
 */
export class XRayTraces implements TraceSource {
  readonly timing: TraceTiming;

  constructor(private readonly options: XRayTracesOptions) {
    quoted(options.serviceName, 'X-Ray service name');
    this.timing = options.timing ?? XRAY_TIMING;
  }

  async read(window: TraceWindow): Promise<TraceSample[]> {
    const { client, workload, serviceName } = this.options;
    if (window.workload !== workload) {
      throw new Error(`the X-Ray trace source of ${workload} was asked for traces of ${window.workload}`);
    }
    const filter = releaseFilter(serviceName, window.version);
    const samples: TraceSample[] = [];
    let nextToken: string | undefined;
    do {
      const input = {
        StartTime: new Date(window.from),
        EndTime: new Date(window.to),
        TimeRangeType: 'Event' as const,
        FilterExpression: filter,
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
      const page = await aws(`read X-Ray traces of ${workload} ${window.version}`, () =>
        client.send(new GetTraceSummariesCommand(input)),
      );
      for (const summary of page.TraceSummaries ?? []) {
        const sample = sampleOf(summary, window, serviceName);
        if (sample) samples.push(sample);
      }
      if (page.NextToken !== undefined && page.NextToken === nextToken) {
        throw new Error(`X-Ray returned the same page of ${workload} ${window.version} traces twice`);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return samples;
  }
}

function sampleOf(summary: TraceSummary, window: TraceWindow, serviceName: string): TraceSample | undefined {
  const { Id, StartTime, ResponseTime } = summary;
  if (!Id || !StartTime || ResponseTime === undefined || summary.IsPartial) return undefined;
  const at = StartTime.getTime();
  if (at < window.from || at >= window.to) return undefined;
  if (!annotatedBy(summary, serviceName, window.version)) return undefined;
  return { traceId: Id, at, latencyMs: ResponseTime * 1000, fault: summary.HasFault === true };
}

/**
 * Whether the workload's own segments carry `release = version`, rather than a caller's that happens to
 * have the same version. When the summary does not say which services carry it, the filter's match is
 * taken as it is.
 */
function annotatedBy(summary: TraceSummary, serviceName: string, version: string): boolean {
  const matching = (summary.Annotations?.release ?? []).filter(
    (value) => value.AnnotationValue?.StringValue === version,
  );
  if (matching.length === 0 || matching.some((value) => !value.ServiceIds?.length)) return true;
  return matching.some((value) =>
    (value.ServiceIds ?? []).some((id) => id.Name === serviceName || (id.Names ?? []).includes(serviceName)),
  );
}
