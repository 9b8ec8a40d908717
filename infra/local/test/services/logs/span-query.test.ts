import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, type Span, SpanKind, trace } from '@opentelemetry/api';
import { startTracing } from '@securecart/shared/otel';
import { SPAN_LOG_GROUP, spanQuery, spanSample } from '@tollgate/pipelines/signals/span-query';
import { releaseFilter } from '@tollgate/pipelines/signals/xray-filter';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogsService } from '../../../src/services/logs/logs-service';
import { createXRayService } from '../../../src/services/xray/xray-service';
import { otlpHandler } from '../../../src/telemetry/otlp-receiver';
import { createTelemetrySink, createTelemetryStores } from '../../../src/telemetry/sink';
import { call, virtualCloud } from '../../telemetry/cloud-clock';

/** The OTLP receiver on a loopback HTTP server of the test's own (the wire layer mounts it in the cloud). */
async function world() {
  const cloud = virtualCloud();
  const stores = createTelemetryStores();
  const sink = createTelemetrySink(stores, { clock: cloud.clock });
  const server = createServer(otlpHandler(sink));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const logs = createLogsService({ clock: cloud.clock, spans: stores.spans });
  return { ...cloud, stores, url, logs };
}

/** Requests of checkout as its real OpenTelemetry setup (workloads/shared/otel.ts) exports them over OTLP/HTTP. */
async function exportRequests(url: string, release: string, statuses: number[]): Promise<string[]> {
  const tracing = startTracing({
    serviceName: 'checkout',
    release,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: url },
  });
  const ids: string[] = [];
  for (const status of statuses) {
    const server: Span = tracing.tracer.startSpan('POST /orders', { kind: SpanKind.SERVER });
    server.setAttribute('http.response.status_code', status);
    const { traceId } = server.spanContext();
    ids.push(`1-${traceId.slice(0, 8)}-${traceId.slice(8)}`);
    tracing.tracer
      .startSpan('reserve stock', { kind: SpanKind.CLIENT }, trace.setSpan(context.active(), server))
      .end();
    server.end();
  }
  await tracing.shutdown();
  return ids;
}

async function runQuery(
  logs: ReturnType<typeof createLogsService>,
  context: never,
  advance: (ms: number) => void,
  input: object,
) {
  const { queryId } = await call(logs.definition, 'StartQuery', input, context);
  const statuses: string[] = [];
  for (let poll = 0; poll < 10; poll += 1) {
    const page = await call(logs.definition, 'GetQueryResults', { queryId, maxItems: 10_000 }, context);
    statuses.push(page.status);
    if (page.status === 'Complete') return { page, statuses };
    advance(500);
  }
  throw new Error('the query did not complete');
}

describe('OTLP spans → aws/spans → the span adapter query', () => {
  it('returns exactly the release entry spans the adapter asks for, and the same traces in X-Ray', async () => {
    const { url, logs, context, real, start, clock, stores } = await world();
    logs.createLogGroup(SPAN_LOG_GROUP);
    const canary = await exportRequests(url, '1.4.0', [200, 503, 200]);
    await exportRequests(url, '1.3.0', [200]);
    const from = start - 60_000;
    const to = start + 60_000;
    const input = {
      queryLanguage: 'CWLI',
      logGroupName: SPAN_LOG_GROUP,
      startTime: Math.floor(from / 1000),
      endTime: Math.ceil(to / 1000),
      queryString: spanQuery({ serviceName: 'checkout', version: '1.4.0', entry: 'server', from, to }),
      limit: 100_000,
    };
    const { page, statuses } = await runQuery(logs, context as never, (ms) => real.advance(ms), input);
    expect(statuses).toEqual(['Scheduled', 'Running', 'Running', 'Running', 'Complete']);
    const samples = page.results.map(spanSample);
    expect(samples.map((s: { traceId: string }) => s.traceId).sort()).toEqual([...canary].sort());
    expect(
      samples.filter((s: { fault: boolean }) => s.fault).map((s: { traceId: string }) => s.traceId),
    ).toEqual([canary[1]]);
    expect(page.statistics).toMatchObject({ recordsMatched: 3, recordsScanned: 8 });
    real.advance(5_000); // X-Ray's indexing delay
    const xray = createXRayService({ clock, traces: stores.traces, settleMs: 5_000 });
    const summaries = await call(
      xray.definition,
      'GetTraceSummaries',
      {
        StartTime: new Date(from),
        EndTime: new Date(to),
        TimeRangeType: 'Event',
        FilterExpression: releaseFilter('checkout', '1.4.0'),
      },
      context,
    );
    expect(summaries.TraceSummaries.map((s: { Id: string }) => s.Id).sort()).toEqual([...canary].sort());
    expect(summaries.TraceSummaries.find((s: { Id: string }) => s.Id === canary[1]).HasFault).toBe(true);
  });

  it('refuses queries outside its subset, and answers ResourceNotFoundException without aws/spans', async () => {
    const { logs, context } = await world();
    const input = { logGroupName: SPAN_LOG_GROUP, startTime: 1, endTime: 2, queryString: 'fields traceId' };
    await expect(call(logs.definition, 'StartQuery', input, context)).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
    logs.createLogGroup(SPAN_LOG_GROUP);
    await expect(
      call(logs.definition, 'StartQuery', { ...input, queryString: 'stats count() by kind' }, context),
    ).rejects.toMatchObject({ code: 'MalformedQueryException', message: expect.stringContaining('"stats"') });
    await expect(
      call(logs.definition, 'StartQuery', { ...input, queryString: 'filter a = "x" |' }, context),
    ).rejects.toMatchObject({ code: 'MalformedQueryException' });
  });

  it('stops a running query: Cancelled, and success false once it is over', async () => {
    const { logs, context, real } = await world();
    logs.createLogGroup(SPAN_LOG_GROUP);
    const { queryId } = await call(
      logs.definition,
      'StartQuery',
      { logGroupName: SPAN_LOG_GROUP, startTime: 1, endTime: 2, queryString: 'fields traceId' },
      context,
    );
    expect(await call(logs.definition, 'StopQuery', { queryId }, context)).toEqual({ success: true });
    real.advance(10_000);
    expect((await call(logs.definition, 'GetQueryResults', { queryId }, context)).status).toBe('Cancelled');
    await expect(call(logs.definition, 'StopQuery', { queryId }, context)).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: `Query ${queryId} is not running (Cancelled)`,
    });
  });
});
