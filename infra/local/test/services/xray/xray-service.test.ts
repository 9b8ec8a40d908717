import { releaseFilter } from '@tollgate/pipelines/signals/xray-filter';
import AWSXRay from 'aws-xray-sdk-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createXRayService } from '../../../src/services/xray/xray-service';
import { createTelemetrySink, createTelemetryStores } from '../../../src/telemetry/sink';
import { startXRayDaemon } from '../../../src/telemetry/xray-daemon';
import { call, virtualCloud } from '../../telemetry/cloud-clock';

async function world() {
  const cloud = virtualCloud();
  const stores = createTelemetryStores();
  const sink = createTelemetrySink(stores, { clock: cloud.clock });
  const daemon = await startXRayDaemon(sink);
  onTestFinished(() => daemon.close());
  const xray = createXRayService({ clock: cloud.clock, traces: stores.traces, settleMs: 5_000 });
  return { ...cloud, stores, sink, daemon, xray };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

const datagram = (document: object) => `{"format":"json","version":1}\n${JSON.stringify(document)}`;

/** A Lambda invocation as X-Ray sees it: the service's two segments and the function's streamed subsegment. */
function lambdaTrace(n: number, startS: number, release: string, fault = false) {
  const traceId = `1-${Math.floor(startS).toString(16)}-${n.toString(16).padStart(24, '0')}`;
  const lambdaId = `a${n.toString(16).padStart(15, '0')}`;
  const functionId = `b${n.toString(16).padStart(15, '0')}`;
  const name = 'securecart-staging-payments';
  return [
    {
      trace_id: traceId,
      id: lambdaId,
      name,
      origin: 'AWS::Lambda',
      start_time: startS,
      end_time: startS + 0.25,
      http: { response: { status: fault ? 500 : 200 } },
      ...(fault ? { fault: true } : {}),
    },
    {
      trace_id: traceId,
      id: functionId,
      parent_id: lambdaId,
      name,
      origin: 'AWS::Lambda::Function',
      start_time: startS + 0.01,
      end_time: startS + 0.24,
      ...(fault ? { fault: true } : {}),
    },
    {
      trace_id: traceId,
      id: `c${n.toString(16).padStart(15, '0')}`,
      parent_id: functionId,
      type: 'subsegment',
      name: '## index.handler',
      start_time: startS + 0.02,
      end_time: startS + 0.2,
      annotations: { release, ColdStart: n === 1, Service: 'payments' },
    },
  ];
}

describe('X-Ray: daemon, trace store and GetTraceSummaries', () => {
  it('groups segments and streamed subsegments sent to the UDP daemon into traces the adapter filter selects', async () => {
    const { daemon, xray, context, real, stores, start } = await world();
    const t0 = start / 1000;
    const documents = [
      ...lambdaTrace(1, t0, '1.4.0'),
      ...lambdaTrace(2, t0 + 1, '1.3.0'),
      ...lambdaTrace(3, t0 + 2, '1.4.0', true),
    ];
    const { createSocket } = await import('node:dgram');
    const socket = createSocket('udp4');
    onTestFinished(() => {
      socket.close();
    });
    for (const document of documents) {
      await new Promise<void>((resolve, reject) =>
        socket.send(datagram(document), daemon.port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
      );
    }
    socket.send('not the protocol', daemon.port, '127.0.0.1');
    await until(() => stores.traces.all().length === 3 && daemon.rejected() === 1, 'three traces');
    const input = {
      StartTime: new Date(start - 1000),
      EndTime: new Date(start + 10_000),
      TimeRangeType: 'Event',
      FilterExpression: releaseFilter('securecart-staging-payments', '1.4.0'),
    };
    const early = await call(xray.definition, 'GetTraceSummaries', input, context);
    expect(early.TraceSummaries).toEqual([]);
    real.advance(5_000);
    const page = await call(xray.definition, 'GetTraceSummaries', input, context);
    const ids = page.TraceSummaries.map((s: { Id: string }) => s.Id);
    expect(ids).toEqual([documents[6]?.trace_id, documents[0]?.trace_id]);
    const [faulty, ok] = page.TraceSummaries;
    expect(ok).toMatchObject({ HasFault: false, HasError: false, HasThrottle: false, IsPartial: false });
    expect(ok.StartTime.getTime()).toBe(start);
    expect(ok.ResponseTime).toBeCloseTo(0.25, 9);
    expect(faulty.HasFault).toBe(true);
    expect(ok.Annotations.release).toEqual([
      {
        AnnotationValue: { StringValue: '1.4.0' },
        ServiceIds: [
          {
            Name: 'securecart-staging-payments',
            Names: ['securecart-staging-payments'],
            Type: 'AWS::Lambda::Function',
          },
        ],
      },
    ]);
    expect(page.TracesProcessedCount).toBe(3);
    expect(page.NextToken).toBeUndefined();
  });

  it('receives a real segment from the X-Ray SDK for Node, its streamed subsegment included', async () => {
    const { daemon, xray, context, real, stores, start } = await world();
    AWSXRay.setDaemonAddress(daemon.address);
    AWSXRay.setStreamingThreshold(0);
    onTestFinished(() => AWSXRay.setStreamingThreshold(100)); // the SDK's default
    const segment = new AWSXRay.Segment('checkout');
    segment.addAnnotation('release', '2.0.0');
    // The SDK streams a closed subsegment on its own while more than `threshold` others are still open.
    const streamed = segment.addNewSubsegment('reserve-stock');
    const nested = segment.addNewSubsegment('charge');
    streamed.addAnnotation('step', 'reserve');
    streamed.close();
    nested.close();
    segment.close();
    await until(() => (stores.traces.all()[0]?.documents.size ?? 0) >= 2, 'the SDK segment and subsegment');
    real.advance(10_000);
    const page = await call(
      xray.definition,
      'GetTraceSummaries',
      {
        StartTime: new Date(start - 60_000),
        EndTime: new Date(start + 60_000),
        TimeRangeType: 'Event',
        FilterExpression: releaseFilter('checkout', '2.0.0'),
      },
      context,
    );
    expect(page.TraceSummaries.map((s: { Id: string }) => s.Id)).toEqual([segment.trace_id]);
    expect(Object.keys(page.TraceSummaries[0].Annotations).sort()).toEqual(['release', 'step']);
  });

  it('pages with NextToken and refuses filters outside its grammar, naming them', async () => {
    const { sink, stores, context, real, start } = await world();
    const xray = createXRayService({ clock: context.clock, traces: stores.traces, pageSize: 2 });
    const t0 = start / 1000;
    for (let n = 1; n <= 5; n += 1) sink.segments(lambdaTrace(n, t0 + n, n === 4 ? '1.3.0' : '1.4.0'));
    real.advance(10_000);
    const input = {
      StartTime: new Date(start),
      EndTime: new Date(start + 60_000),
      TimeRangeType: 'Event',
      FilterExpression:
        'service("securecart-staging-payments") AND (annotation.release = "1.4.0" OR NOT annotation.ColdStart = false)',
    };
    const ids: string[] = [];
    let token: string | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await call(
        xray.definition,
        'GetTraceSummaries',
        { ...input, ...(token ? { NextToken: token } : {}) },
        context,
      );
      ids.push(...page.TraceSummaries.map((s: { Id: string }) => s.Id));
      token = page.NextToken;
      if (!token) break;
    }
    const idOf = (n: number) => `1-${Math.floor(t0 + n).toString(16)}-${n.toString(16).padStart(24, '0')}`;
    expect(ids).toEqual([idOf(5), idOf(3), idOf(2), idOf(1)]);
    await expect(
      call(xray.definition, 'GetTraceSummaries', { ...input, FilterExpression: 'responsetime > 5' }, context),
    ).rejects.toMatchObject({
      code: 'InvalidRequestException',
      message: expect.stringContaining('"responsetime > 5"'),
    });
    await expect(
      call(xray.definition, 'GetTraceSummaries', { ...input, FilterExpression: 'service("a") AND' }, context),
    ).rejects.toMatchObject({ code: 'InvalidRequestException' });
  });
});
