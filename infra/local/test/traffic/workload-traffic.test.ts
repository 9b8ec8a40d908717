import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handler as paymentsHandler } from '@securecart/payments/src/handler';
import { validateOrder } from '@securecart/shared/order';
import { fakeLambdaContext } from '@securecart/testing/lambda-context';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createProcessRuntime } from '../../src/runtime/process-runtime';
import { startTraffic, type TrafficOptions } from '../../src/traffic/load-generator';
import { orderProcessingScenario } from '../../src/traffic/scenarios/order-processing';
import { seededRandom } from '../../src/traffic/seeded-random';
import { recordingSink, startOtlpRecorder } from '../runtime/recording-telemetry';

let otlp: Awaited<ReturnType<typeof startOtlpRecorder>>;
let runtime: ReturnType<typeof createProcessRuntime>;
const sink = recordingSink();

beforeAll(async () => {
  otlp = await startOtlpRecorder();
  runtime = createProcessRuntime({ sink, otlpEndpoint: otlp.url });
});

afterAll(async () => {
  await runtime.stopAll();
  await new Promise((resolve) => otlp.server.close(resolve));
});

async function serve(workload: string, env: Record<string, string> = {}): Promise<string> {
  const container = await runtime.start({
    workload,
    image: `securecart/${workload}:1.0.0`,
    env,
    logGroup: `/local/${workload}`,
  });
  await container.ready;
  return container.url;
}

/** Traffic for a real second. */
async function second(options: TrafficOptions) {
  const traffic = startTraffic(options);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return traffic.stop();
}

describe.each([
  { workload: 'product-search', mistake: '400' },
  { workload: 'recommendations', mistake: '400' },
  { workload: 'auth', mistake: '401' },
])('$workload traffic against the real server', ({ workload, mistake }) => {
  it('succeeds entirely without client mistakes', async () => {
    const url = await serve(workload);
    const stats = await second({
      workload,
      entry: { kind: 'http', url },
      requestsPerSecond: 20,
      clientErrorShare: 0,
    });
    expect(stats.sent).toBeGreaterThanOrEqual(18);
    expect(stats).toMatchObject({ ok: stats.sent, failed: 0, skipped: 0 });
  });

  it(`answers the designed client mistakes with ${mistake} and nothing else`, async () => {
    const url = await serve(workload);
    const stats = await second({
      workload,
      entry: { kind: 'http', url },
      requestsPerSecond: 40,
      clientErrorShare: 0.25,
      seed: 7,
    });
    expect(Object.keys(stats.byStatus).sort()).toEqual(['200', mistake]);
    expect(stats.failed).toBe(stats.byStatus[mistake]);
    expect(stats.failed).toBeGreaterThan(0);
    expect(stats.ok + stats.failed).toBe(stats.sent);
  });
});

describe('auth traffic', () => {
  it('logs in with the local users and verifies the tokens it got', async () => {
    const url = await serve('auth');
    sink.lines.length = 0;
    const stats = await second({
      workload: 'auth',
      entry: { kind: 'http', url },
      requestsPerSecond: 20,
      clientErrorShare: 0,
    });
    expect(stats.ok).toBe(stats.sent);
    const routes = sink.lines
      .filter((l) => l.logGroup === '/local/auth' && l.line.includes('"message":"request"'))
      .map((l) => JSON.parse(l.line) as { route: string; status: number })
      .filter((entry) => entry.route !== '/health');
    expect(routes.filter((entry) => entry.route === '/token').length).toBeGreaterThan(0);
    expect(routes.filter((entry) => entry.route === '/verify').length).toBeGreaterThan(0);
    const login = await fetch(`${url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'grace', password: 'local-grace-compiler-1952' }),
    });
    expect(login.status).toBe(200);
  });
});

describe('checkout traffic', () => {
  it('checks carts out through the real server, which places them with the order API', async () => {
    const placed: unknown[] = [];
    const orders = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        placed.push(JSON.parse(body));
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ orderId: `ord-${placed.length}`, status: 'ACCEPTED' }));
      });
    });
    await new Promise<void>((resolve) => orders.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => orders.close(() => resolve())));
    const url = await serve('checkout', {
      ORDER_API_URL: `http://127.0.0.1:${(orders.address() as AddressInfo).port}`,
    });
    const stats = await second({
      workload: 'checkout',
      entry: { kind: 'http', url },
      requestsPerSecond: 20,
      seed: 3,
      clientErrorShare: 0.2,
    });
    expect(Object.keys(stats.byStatus).sort()).toEqual(['202', '400']);
    expect(stats.ok).toBe(placed.length);
    expect(placed.every((order) => validateOrder(order).ok)).toBe(true);
  });
});

describe('Lambda traffic', () => {
  it('sends payments authorisations the real handler approves', async () => {
    let n = 0;
    const invoke = (payload: unknown) => paymentsHandler(payload, fakeLambdaContext(`payments-${++n}`));
    const stats = await second({
      workload: 'payments',
      entry: { kind: 'invoke', invoke },
      requestsPerSecond: 20,
    });
    expect(stats.sent).toBeGreaterThanOrEqual(18);
    expect(stats).toMatchObject({ ok: stats.sent, failed: 0, byStatus: { '200': stats.sent } });
  });

  it('builds order-processing API Gateway events whose bodies are orders, a set share of them invalid', () => {
    const scenario = orderProcessingScenario({ random: seededRandom(5), clientErrorShare: 0.1 });
    const events = Array.from({ length: 200 }, () => scenario.next());
    const bodies = events.map((call) => {
      if (call.kind !== 'invoke') throw new Error('order-processing is invoked');
      const event = call.payload as { routeKey: string; body: string; headers: Record<string, string> };
      expect(event.routeKey).toBe('POST /orders');
      expect(event.headers['idempotency-key']).toMatch(/^order-/);
      return JSON.parse(event.body) as unknown;
    });
    const invalid = bodies.filter((body) => !validateOrder(body).ok).length;
    expect(invalid).toBeGreaterThan(5);
    expect(invalid).toBeLessThan(40);
  });
});
