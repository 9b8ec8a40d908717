import { bundleLambdaZip } from '@tollgate/pipelines/artifacts/bundle-lambda-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UPDATE_MS } from '../../../src/services/lambda/function-store';
import { seededRandom } from '../../../src/traffic/seeded-random';
import { ACCOUNT, ARN, FN, LambdaWorld } from './lambda-world';
import { TestDaemon } from './test-daemon';

const INVOCATIONS = 200;
const SEED = 20_260_301;
const PAYMENT = { orderId: 'order-1', paymentToken: 'tok_visa', amount: 1999, currency: 'EUR' };

let daemon: TestDaemon;
let world: LambdaWorld;
let bundleMs: number;
const results: { executedVersion: string; payload: unknown; error?: unknown; ms: number }[] = [];

/** The real payments bundle as version 1 (1.0.0) and version 2 (2.0.0), `live` routing 10% to 2. */
beforeAll(async () => {
  daemon = await TestDaemon.start();
  const started = performance.now();
  const zip = await bundleLambdaZip('payments');
  bundleMs = performance.now() - started;
  world = new LambdaWorld({ daemonAddress: daemon.address, random: seededRandom(SEED) });
  world.provision(zip);
  await world.call('UpdateFunctionConfiguration', {
    FunctionName: FN,
    Environment: { Variables: { LOG_LEVEL: 'INFO', RELEASE_VERSION: '2.0.0' } },
  });
  world.advance(DEFAULT_UPDATE_MS);
  expect((await world.call('PublishVersion', { FunctionName: FN })).Version).toBe('2');
  await world.call('UpdateAlias', {
    FunctionName: FN,
    Name: 'live',
    RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
  });
  for (let batch = 0; batch < INVOCATIONS / 4; batch += 1) {
    await Promise.all(
      Array.from({ length: 4 }, async (_, index) => {
        const began = performance.now();
        const result = await world.service.invoke(FN, 'live', {
          ...PAYMENT,
          orderId: `order-${batch}-${index}`,
        });
        results.push({ ...result, ms: performance.now() - began });
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  await world.service.close();
  await daemon.close();
});

const byVersion = (version: string) => results.filter((result) => result.executedVersion === version).length;

describe('the Lambda runtime running the real payments bundle behind a weighted alias', () => {
  it('splits the invocations by the alias weight with the seeded draw, and every one succeeds', () => {
    const draw = seededRandom(SEED);
    const expected = Array.from({ length: INVOCATIONS }, () => draw()).filter((value) => value < 0.1).length;
    expect(byVersion('2')).toBe(expected);
    expect(byVersion('1')).toBe(INVOCATIONS - expected);
    expect(expected).toBeGreaterThan(8);
    expect(expected).toBeLessThan(40);
    for (const result of results) {
      expect(result.error).toBeUndefined();
      expect(result.payload).toMatchObject({
        status: 'AUTHORIZED',
        amount: 1999,
        currency: 'EUR',
        provider: 'fake',
      });
    }
  });

  it("emits Lambda's facade segments and receives the handler's own subsegments, with the release, on the daemon", async () => {
    const subsegments = await daemon.waitFor((document) => document.name === '## payments', INVOCATIONS);
    expect(subsegments).toHaveLength(INVOCATIONS);
    expect(daemon.rejected).toEqual([]);
    const services = world.sink.documents.filter((document) => document.origin === 'AWS::Lambda');
    const functions = world.sink.documents.filter((document) => document.origin === 'AWS::Lambda::Function');
    expect([services.length, functions.length]).toEqual([INVOCATIONS, INVOCATIONS]);
    const releases: Record<string, number> = {};
    for (const sub of subsegments) {
      const fn = functions.find((document) => document.id === sub.parent_id);
      expect(fn, `the function segment ${String(sub.parent_id)}`).toBeDefined();
      const service = services.find((document) => document.id === fn?.parent_id);
      expect([fn?.trace_id, service?.trace_id]).toEqual([sub.trace_id, sub.trace_id]);
      expect([fn?.name, service?.name]).toEqual([FN, FN]);
      expect(service?.resource_arn).toBe(`${ARN}:live`);
      expect(fn?.aws).toEqual({ account_id: ACCOUNT, function_arn: `${ARN}:live`, resource_names: [FN] });
      // The handler's SDK stamps whole milliseconds (Date.now()); the facade is stamped finer.
      expect(sub.start_time as number).toBeGreaterThanOrEqual((fn?.start_time as number) - 0.001);
      expect(sub.end_time as number).toBeLessThanOrEqual((service?.end_time as number) + 0.001);
      const annotations = sub.annotations as Record<string, unknown>;
      expect(annotations.Service).toBe('payments');
      const release = annotations.release as string;
      releases[release] = (releases[release] ?? 0) + 1;
    }
    expect(releases).toEqual({ '1.0.0': byVersion('1'), '2.0.0': byVersion('2') });
    // The first invocation of each environment is a cold start: an Initialization subsegment and ColdStart.
    const cold = functions.filter((document) =>
      (document.subsegments as { name: string }[]).some((sub) => sub.name === 'Initialization'),
    );
    expect(cold.length).toBe(
      subsegments.filter((sub) => (sub.annotations as { ColdStart: boolean }).ColdStart).length,
    );
    expect(cold.length).toBeGreaterThanOrEqual(2);
    expect(cold.length).toBeLessThanOrEqual(8);
  });

  it('vends AWS/Lambda metrics under the dimensions the alias alarms read', () => {
    const sink = world.sink;
    const alias = { FunctionName: FN, Resource: `${FN}:live` };
    expect(sink.sum('Invocations', alias)).toBe(INVOCATIONS);
    expect(sink.sum('Invocations', { FunctionName: FN })).toBe(INVOCATIONS);
    expect(sink.sum('Invocations', {})).toBe(INVOCATIONS);
    expect(sink.sum('Invocations', { ...alias, ExecutedVersion: '2' })).toBe(byVersion('2'));
    expect(sink.sum('Invocations', { ...alias, ExecutedVersion: '1' })).toBe(byVersion('1'));
    expect(sink.sum('Errors', alias)).toBe(0);
    expect(sink.sum('Throttles', alias)).toBe(0);
    const durations = sink.samples('Duration', alias);
    expect(durations).toHaveLength(INVOCATIONS);
    expect(
      durations.every((datum) => datum.unit === 'Milliseconds' && datum.value > 0 && datum.value < 1000),
    ).toBe(true);
    const concurrency = sink.samples('ConcurrentExecutions', alias).map((datum) => datum.value);
    expect(Math.max(...concurrency)).toBe(4);
  });

  it("sends the handler's EMF lines and Lambda's platform events to the function's log group", () => {
    const lines = world.sink.lines
      .filter((entry) => entry.logGroup === `/aws/lambda/${FN}`)
      .map((entry) => entry.line);
    const emf = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record._aws);
    const authorized = emf.filter((record) => record.PaymentsAuthorized === 1);
    expect(authorized).toHaveLength(INVOCATIONS);
    expect(authorized.filter((record) => record.release === '2.0.0')).toHaveLength(byVersion('2'));
    expect(lines.filter((line) => line.includes('"type":"platform.report"'))).toHaveLength(INVOCATIONS);
  });

  it('measures the bundle, the cold start and the per-invocation overhead', () => {
    const functions = world.sink.documents.filter((document) => document.origin === 'AWS::Lambda::Function');
    const inits = functions.flatMap((document) =>
      (document.subsegments as { name: string; start_time: number; end_time: number }[])
        .filter((sub) => sub.name === 'Initialization')
        .map((sub) => Math.round((sub.end_time - sub.start_time) * 1000)),
    );
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
    const duration = median(world.sink.samples('Duration', { FunctionName: FN }).map((datum) => datum.value));
    const wall = median(results.map((result) => result.ms));
    console.info(
      `payments bundle ${bundleMs.toFixed(0)} ms; cold start (init) ${Math.min(...inits)}–${Math.max(...inits)} ms; ` +
        `warm invoke median ${wall.toFixed(2)} ms of which handler ${duration.toFixed(2)} ms (overhead ${(wall - duration).toFixed(2)} ms, 4 at once)`,
    );
    expect(wall - duration).toBeGreaterThan(0);
    expect(wall - duration).toBeLessThan(50);
  });
});
