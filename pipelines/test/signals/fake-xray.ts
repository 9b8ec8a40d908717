import {
  type GetTraceSummariesCommandInput,
  type GetTraceSummariesCommandOutput,
  InvalidRequestException,
  type TraceSummary,
} from '@aws-sdk/client-xray';
import type { VirtualClock } from '../../src/time/clock';
import { modelled } from '../aws/validated-mock';

/** A trace as the fake index holds it. Times in ms. */
export interface IndexedTrace {
  id: string;
  /** The service whose segment carries the `release` annotation. */
  service: string;
  release: string;
  start: number;
  responseTimeMs: number;
  /** When X-Ray has indexed it: invisible to every query before. */
  visibleAt: number;
  /** Reported as in progress (`IsPartial`) until then. */
  partialUntil?: number;
  /** Other services in the trace (a caller, a dependency), each with its own release annotation. */
  others?: { service: string; release: string }[];
  fault?: boolean;
  error?: boolean;
  throttle?: boolean;
}

const FILTER = /^service\("([^"]+)"\) AND annotation\.release = "([^"]+)"$/;

/**
 * A stateful X-Ray trace index for GetTraceSummaries: traces become visible when indexed, pages hold
 * `pageSize` summaries newest first, and each page call lets `pageGapMs` pass on the clock, so traces
 * indexed between two pages shift the next page (which then repeats a trace), as a live index does.
 * It understands only the filter form Tollgate sends (`service("…") AND annotation.release = "…"`),
 * with X-Ray's meaning: a trace matches when any of its services has that name and any of its segments
 * has that annotation. `TimeRangeType: Event` selects traces active during the range.
 */
export class FakeXRay {
  private readonly traces: IndexedTrace[] = [];
  private readonly failures: Error[] = [];
  /** Page numbers (1-based, within a read) that fail once, as a throttle on a later page. */
  private readonly failingPages = new Map<number, Error>();
  calls = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly pageSize = 100,
    private readonly pageGapMs = 0,
  ) {}

  add(...traces: IndexedTrace[]): void {
    this.traces.push(...traces);
  }

  /** The next `times` calls throw `error`. */
  failCalls(error: Error, times = 1): void {
    for (let i = 0; i < times; i += 1) this.failures.push(error);
  }

  /** The call for page `page` (1 = first page of a read) throws once. */
  failPage(page: number, error: Error): void {
    this.failingPages.set(page, error);
  }

  handle(input: GetTraceSummariesCommandInput): GetTraceSummariesCommandOutput {
    this.calls += 1;
    const page = input.NextToken ? Number(input.NextToken) / this.pageSize + 1 : 1;
    const failure = this.failures.shift() ?? this.takePageFailure(page);
    if (failure) throw failure;
    const matching = this.query(input);
    const offset = input.NextToken ? Number(input.NextToken) : 0;
    const summaries = matching.slice(offset, offset + this.pageSize).map(summaryOf(this.clock.now()));
    const next = offset + this.pageSize < matching.length ? String(offset + this.pageSize) : undefined;
    this.clock.advance(this.pageGapMs);
    return modelled('@aws-sdk/client-xray', 'GetTraceSummaries', {
      TraceSummaries: summaries,
      TracesProcessedCount: matching.length,
      ...(next ? { NextToken: next } : {}),
      $metadata: {},
    });
  }

  private takePageFailure(page: number): Error | undefined {
    const failure = this.failingPages.get(page);
    this.failingPages.delete(page);
    return failure;
  }

  private query(input: GetTraceSummariesCommandInput): IndexedTrace[] {
    if (input.TimeRangeType !== 'Event') throw new Error('the fake X-Ray answers only Event time ranges');
    const filter = FILTER.exec(input.FilterExpression ?? '');
    if (!filter) {
      throw new InvalidRequestException({ message: 'Invalid filter expression', $metadata: {} });
    }
    const [, service, release] = filter;
    const from = (input.StartTime as Date).getTime();
    const to = (input.EndTime as Date).getTime();
    const now = this.clock.now();
    return this.traces
      .filter((trace) => trace.visibleAt <= now)
      .filter((trace) => trace.start < to && trace.start + trace.responseTimeMs >= from)
      .filter((trace) => servicesOf(trace).some((s) => s.service === service))
      .filter((trace) => servicesOf(trace).some((s) => s.release === release))
      .sort((a, b) => b.start - a.start || a.id.localeCompare(b.id));
  }
}

function servicesOf(trace: IndexedTrace): { service: string; release: string }[] {
  return [{ service: trace.service, release: trace.release }, ...(trace.others ?? [])];
}

function summaryOf(now: number) {
  return (trace: IndexedTrace): TraceSummary => ({
    Id: trace.id,
    StartTime: new Date(trace.start),
    ResponseTime: trace.responseTimeMs / 1000,
    Duration: trace.responseTimeMs / 1000,
    HasFault: trace.fault === true,
    HasError: trace.error === true,
    HasThrottle: trace.throttle === true,
    IsPartial: trace.partialUntil !== undefined && now < trace.partialUntil,
    Annotations: { release: annotationValues(trace) },
    ServiceIds: servicesOf(trace).map(({ service }) => ({ Name: service, Names: [service] })),
  });
}

/** One entry per distinct value, naming every service whose segments carry it, as X-Ray groups them. */
function annotationValues(trace: IndexedTrace) {
  const byValue = new Map<string, string[]>();
  for (const { service, release } of servicesOf(trace))
    byValue.set(release, [...(byValue.get(release) ?? []), service]);
  return [...byValue].map(([release, services]) => ({
    AnnotationValue: { StringValue: release },
    ServiceIds: services.map((service) => ({ Name: service, Names: [service], Type: 'AWS::ECS::Container' })),
  }));
}

/** An X-Ray trace id for a trace started at `at` (ms), unique by `n`. */
export function xrayId(at: number, n: number): string {
  const seconds = Math.floor(at / 1000)
    .toString(16)
    .padStart(8, '0');
  return `1-${seconds}-${n.toString(16).padStart(24, '0')}`;
}
