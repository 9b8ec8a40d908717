import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { albMetricTable, appRunnerMetricTable } from '../../src/runtime/router-metrics';
import { startWeightedRouter } from '../../src/runtime/weighted-router';
import { recordingSink } from './recording-telemetry';

/** A target answering `<name>` with the status the path asks for (`/status/404`), or never (`/hang`). */
async function startTarget(name: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === '/hang') return;
    const status = Number(/^\/status\/(\d{3})$/.exec(req.url ?? '')?.[1] ?? 200);
    res.writeHead(status, { 'content-type': 'text/plain', 'x-target': name });
    res.end(name);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A URL nothing listens on: a port bound, then released. */
async function deadUrl(): Promise<string> {
  const { url, server } = await startTarget('dead');
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return url;
}

let blue: Awaited<ReturnType<typeof startTarget>>;
let green: Awaited<ReturnType<typeof startTarget>>;

beforeAll(async () => {
  blue = await startTarget('blue');
  green = await startTarget('green');
});

afterAll(async () => {
  for (const target of [blue, green]) {
    target.server.closeAllConnections();
    await new Promise((resolve) => target.server.close(resolve));
  }
});

async function router(options: Partial<Parameters<typeof startWeightedRouter>[0]> = {}) {
  const sink = recordingSink();
  const started = await startWeightedRouter({ sink, name: 'test listener', ...options });
  onTestFinished(() => started.close());
  return { router: started, sink };
}

async function hit(url: string, times: number, concurrency = 10): Promise<string[]> {
  const answers: string[] = [];
  for (let sent = 0; sent < times; sent += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, times - sent) }, async () => {
      const response = await fetch(url);
      return response.text();
    });
    answers.push(...(await Promise.all(batch)));
  }
  return answers;
}

function tally(answers: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) counts[answer] = (counts[answer] ?? 0) + 1;
  return counts;
}

describe('weighted router', () => {
  it('splits 1000 requests at 100/900 exactly 100/900', async () => {
    const { router: r } = await router();
    r.setTargets([
      { id: 'blue', url: blue.url, weight: 900 },
      { id: 'green', url: green.url, weight: 100 },
    ]);
    expect(tally(await hit(`${r.url}/`, 1000))).toEqual({ blue: 900, green: 100 });
  });

  it('interleaves smoothly: 1/9 sends exactly one in every ten to the small target', async () => {
    const { router: r } = await router();
    r.setTargets([
      { id: 'blue', url: blue.url, weight: 9 },
      { id: 'green', url: green.url, weight: 1 },
    ]);
    const answers = await hit(`${r.url}/`, 30, 1);
    for (let window = 0; window < 3; window++) {
      expect(tally(answers.slice(window * 10, window * 10 + 10))).toEqual({ blue: 9, green: 1 });
    }
  });

  it('applies new weights from the next request on', async () => {
    const { router: r } = await router();
    r.setTargets([
      { id: 'blue', url: blue.url, weight: 1 },
      { id: 'green', url: green.url, weight: 0 },
    ]);
    expect(await hit(`${r.url}/`, 3, 1)).toEqual(['blue', 'blue', 'blue']);
    r.setTargets([
      { id: 'blue', url: blue.url, weight: 0 },
      { id: 'green', url: green.url, weight: 1 },
    ]);
    expect(await hit(`${r.url}/`, 3, 1)).toEqual(['green', 'green', 'green']);
  });

  it('passes method, path, query, body and status through', async () => {
    const echo = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            method: req.method,
            url: req.url,
            body,
            forwardedFor: req.headers['x-forwarded-for'],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => echo.close(() => resolve())));
    const { router: r } = await router();
    r.setTargets([
      { id: 'echo', url: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`, weight: 1 },
    ]);
    const response = await fetch(`${r.url}/checkout?x=1`, { method: 'POST', body: '{"a":1}' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      method: 'POST',
      url: '/checkout?x=1',
      body: '{"a":1}',
      forwardedFor: '127.0.0.1',
    });
  });

  it('vends exactly the datapoints and dimensions an ALB does', async () => {
    const metrics = albMetricTable({
      loadBalancerName: 'sc-stg-auth',
      targetGroups: { blue: 'sc-stg-auth-blue' },
    });
    const { router: r, sink } = await router({ metrics });
    r.setTargets([{ id: 'blue', url: blue.url, weight: 1 }]);
    expect((await fetch(`${r.url}/status/200`)).status).toBe(200);
    expect((await fetch(`${r.url}/status/404`)).status).toBe(404);
    expect((await fetch(`${r.url}/status/503`)).status).toBe(503);
    const lb = { LoadBalancer: 'app/sc-stg-auth/local' };
    const tg = { ...lb, TargetGroup: 'targetgroup/sc-stg-auth-blue/local' };
    const counts = sink.metrics
      .filter((m) => m.name !== 'TargetResponseTime')
      .map(({ namespace, name, dimensions, value, unit }) => ({ namespace, name, dimensions, value, unit }));
    const datum = (name: string, dimensions: Record<string, string>) => ({
      namespace: 'AWS/ApplicationELB',
      name,
      dimensions,
      value: 1,
      unit: 'Count',
    });
    expect(counts).toEqual([
      datum('RequestCount', lb),
      datum('RequestCount', tg),
      datum('HTTPCode_Target_2XX_Count', lb),
      datum('HTTPCode_Target_2XX_Count', tg),
      datum('RequestCount', lb),
      datum('RequestCount', tg),
      datum('HTTPCode_Target_4XX_Count', lb),
      datum('HTTPCode_Target_4XX_Count', tg),
      datum('RequestCount', lb),
      datum('RequestCount', tg),
      datum('HTTPCode_Target_5XX_Count', lb),
      datum('HTTPCode_Target_5XX_Count', tg),
    ]);
    const times = sink.metrics.filter((m) => m.name === 'TargetResponseTime');
    expect(times.map((m) => [m.dimensions, m.unit])).toEqual([
      [lb, 'Seconds'],
      [tg, 'Seconds'],
      [lb, 'Seconds'],
      [tg, 'Seconds'],
      [lb, 'Seconds'],
      [tg, 'Seconds'],
    ]);
    for (const time of times) expect(time.value).toBeGreaterThan(0);
    for (const time of times) expect(time.value).toBeLessThan(1);
  });

  it('answers 502 itself for a dead target, and counts it as the load balancer 5xx', async () => {
    const metrics = albMetricTable({ loadBalancerName: 'sc-stg-auth' });
    const { router: r, sink } = await router({ metrics });
    r.setTargets([{ id: 'sc-stg-auth-green', url: await deadUrl(), weight: 1 }]);
    const response = await fetch(`${r.url}/token`);
    expect(response.status).toBe(502);
    expect(await response.text()).toContain('502 Bad Gateway');
    const lb = { LoadBalancer: 'app/sc-stg-auth/local' };
    const tg = { ...lb, TargetGroup: 'targetgroup/sc-stg-auth-green/local' };
    expect(sink.metrics.map((m) => [m.name, m.dimensions, m.value])).toEqual([
      ['RequestCount', lb, 1],
      ['RequestCount', tg, 1],
      ['TargetConnectionErrorCount', lb, 1],
      ['TargetConnectionErrorCount', tg, 1],
      ['HTTPCode_ELB_5XX_Count', lb, 1],
      ['HTTPCode_ELB_502_Count', lb, 1],
    ]);
  });

  it('answers 503 with no target to choose, 504 when the target does not answer in time', async () => {
    const metrics = albMetricTable({ loadBalancerName: 'sc-stg-checkout' });
    const { router: r, sink } = await router({ metrics, targetTimeoutMs: 200 });
    expect((await fetch(`${r.url}/`)).status).toBe(503);
    const lb = { LoadBalancer: 'app/sc-stg-checkout/local' };
    expect(sink.metrics.map((m) => [m.name, m.dimensions])).toEqual([
      ['HTTPCode_ELB_5XX_Count', lb],
      ['HTTPCode_ELB_503_Count', lb],
    ]);
    sink.metrics.length = 0;
    r.setTargets([{ id: 'sc-stg-checkout-blue', url: blue.url, weight: 1 }]);
    expect((await fetch(`${r.url}/hang`)).status).toBe(504);
    expect(sink.metrics.map((m) => m.name)).toEqual([
      'RequestCount',
      'RequestCount',
      'HTTPCode_ELB_5XX_Count',
      'HTTPCode_ELB_504_Count',
    ]);
  });

  it('vends App Runner service metrics from the same router with another table', async () => {
    const metrics = appRunnerMetricTable({
      serviceName: 'securecart-staging-product-search',
      serviceId: 'a'.repeat(32),
    });
    const { router: r, sink } = await router({ metrics });
    r.setTargets([{ id: 'instance-1', url: green.url, weight: 1 }]);
    await fetch(`${r.url}/status/200`);
    await fetch(`${r.url}/status/400`);
    const dimensions = { ServiceName: 'securecart-staging-product-search', ServiceID: 'a'.repeat(32) };
    expect(sink.metrics.map((m) => [m.namespace, m.name, m.dimensions, m.unit])).toEqual([
      ['AWS/AppRunner', 'Requests', dimensions, 'Count'],
      ['AWS/AppRunner', '2xxStatusResponses', dimensions, 'Count'],
      ['AWS/AppRunner', 'RequestLatency', dimensions, 'Milliseconds'],
      ['AWS/AppRunner', 'Requests', dimensions, 'Count'],
      ['AWS/AppRunner', '4xxStatusResponses', dimensions, 'Count'],
      ['AWS/AppRunner', 'RequestLatency', dimensions, 'Milliseconds'],
    ]);
  });

  it('refuses targets it cannot route to', async () => {
    const { router: r } = await router();
    expect(() => r.setTargets([{ id: 'a', url: blue.url, weight: 1.5 }])).toThrow(/integers from 0, not 1.5/);
    expect(() =>
      r.setTargets([
        { id: 'a', url: blue.url, weight: 1 },
        { id: 'a', url: green.url, weight: 1 },
      ]),
    ).toThrow('test listener: target id "a" is given twice');
  });
});
