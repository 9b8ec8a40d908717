import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import type { EntrySpans } from '../../src/signals/span-query';
import { SpanTraces } from '../../src/signals/span-traces';
import { VirtualClock } from '../../src/time/clock';
import { FakeInsights, type FakeInsightsOptions, type StoredSpan } from './fake-insights';

export const S = 1000;
export const T0 = Date.parse('2026-03-02T10:00:00Z');
export const WINDOW = { workload: 'checkout', version: '1.4.0', from: T0, to: T0 + 60 * S };

export interface SourceOptions extends FakeInsightsOptions {
  entrySpans?: EntrySpans;
  serviceName?: string;
  limit?: number;
  maxWaitMs?: number;
}

/** A Logs client mocked at the SDK edge onto a fresh fake Logs Insights for each test. */
export class SpanWorld {
  readonly client = new CloudWatchLogsClient({
    region: 'eu-west-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  readonly stub = mockClient(this.client);
  clock = new VirtualClock(T0);
  fake = new FakeInsights(this.clock);

  setUp(options: SourceOptions = {}): SpanTraces {
    this.clock = new VirtualClock(T0);
    const fake = new FakeInsights(this.clock, options);
    this.fake = fake;
    this.stub.reset();
    this.stub.on(StartQueryCommand).callsFake((input) => fake.startQuery(input));
    this.stub.on(GetQueryResultsCommand).callsFake((input) => fake.getQueryResults(input));
    this.stub.on(StopQueryCommand).callsFake((input) => fake.stopQuery(input));
    const { entrySpans = 'server', serviceName = 'checkout', limit, maxWaitMs } = options;
    return new SpanTraces({
      client: this.client,
      clock: this.clock,
      workload: serviceName,
      serviceName,
      entrySpans,
      ...(limit ? { limit } : {}),
      ...(maxWaitMs ? { maxWaitMs } : {}),
    });
  }
}

export interface SpanSpec {
  trace: number;
  startMs: number;
  durationMs: number;
  span?: string;
  service?: string;
  release?: string;
  kind?: string;
  status?: string;
  http?: number;
  /** Where the HTTP status is: current semantic conventions, or older ones / converted X-Ray segments. */
  httpKey?: 'http.response.status_code' | 'http.status_code';
  inProgress?: boolean;
  visibleAt?: number;
}

/** The W3C trace id `aws/spans` records hold. */
function w3cId(trace: number): string {
  return `69a55fa0${trace.toString(16).padStart(24, '0')}`;
}

/** The same id in the X-Ray form the samples carry. */
export function xrayId(trace: number): string {
  return `1-69a55fa0-${trace.toString(16).padStart(24, '0')}`;
}

export function span(spec: SpanSpec): StoredSpan {
  const start = spec.startMs * 1e6;
  return {
    record: {
      traceId: w3cId(spec.trace),
      spanId: spec.span ?? `${spec.trace}-server`,
      name: 'POST /orders',
      kind: spec.kind ?? 'SERVER',
      startTimeUnixNano: start,
      ...(spec.inProgress ? {} : { endTimeUnixNano: start + spec.durationMs * 1e6 }),
      status: { code: spec.status ?? 'UNSET' },
      attributes: {
        release: spec.release ?? '1.4.0',
        ...(spec.http === undefined ? {} : { [spec.httpKey ?? 'http.response.status_code']: spec.http }),
        ...(spec.inProgress ? { 'aws.xray.inprogress': true } : {}),
      },
      resource: { attributes: { 'service.name': spec.service ?? 'checkout' } },
    },
    visibleAt: spec.visibleAt ?? spec.startMs + spec.durationMs,
  };
}

/** `count` requests of checkout 1.4.0, `spacingMs` apart from `from`, each `delay(i)` late to the log group. */
export function traffic(
  count: number,
  from: number,
  spacingMs: number,
  release = '1.4.0',
  delay = (_i: number) => 0,
) {
  return Array.from({ length: count }, (_, i) => {
    const startMs = from + i * spacingMs;
    const durationMs = 100 + (i % 7) * 25;
    const trace = i + (release === '1.4.0' ? 1 : 1_000_000);
    return span({ trace, startMs, durationMs, release, visibleAt: startMs + durationMs + delay(i) });
  });
}

/** The StartQuery input for checkout 1.4.0 spans started in [from, to). */
export function query(from: number, to: number, kind = ' and kind = "SERVER"', service = 'checkout') {
  return {
    queryLanguage: 'CWLI',
    logGroupName: 'aws/spans',
    startTime: Math.floor(from / 1000),
    endTime: Math.ceil(to / 1000),
    queryString:
      `filter resource.attributes.service.name = "${service}" and attributes.release = "1.4.0" and ispresent(endTimeUnixNano)${kind}` +
      ` and startTimeUnixNano >= ${BigInt(from) * 1_000_000n} and startTimeUnixNano < ${BigInt(to) * 1_000_000n}` +
      '\n| fields traceId, startTimeUnixNano, endTimeUnixNano, status.code, attributes.http.response.status_code, attributes.http.status_code',
    limit: 100_000,
  };
}

export function throttling(): ThrottlingException {
  return new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
}
