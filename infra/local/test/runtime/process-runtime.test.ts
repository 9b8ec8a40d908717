import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createProcessRuntime } from '../../src/runtime/process-runtime';
import { pidGone, recordingSink, spanReleases, startOtlpRecorder } from './recording-telemetry';

const sink = recordingSink();
let otlp: Awaited<ReturnType<typeof startOtlpRecorder>>;
let runtime: ReturnType<typeof createProcessRuntime>;

beforeAll(async () => {
  otlp = await startOtlpRecorder();
  runtime = createProcessRuntime({ sink, otlpEndpoint: otlp.url });
});

afterAll(async () => {
  await runtime.stopAll();
  await new Promise((resolve) => otlp.server.close(resolve));
});

/** Polls (bounded) until the check holds. */
async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('process runtime', () => {
  it('runs the real product-search server: health, requests, spans and EMF tagged with the release', async () => {
    const container = await runtime.start({
      workload: 'product-search',
      image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/securecart/staging/product-search:2.0.0',
      env: { RELEASE_VERSION: '2.0.0' },
      logGroup: '/aws/apprunner/securecart-staging-product-search',
    });
    await container.ready;
    expect(container.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${container.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', service: 'product-search', release: '2.0.0' });
    const search = await fetch(`${container.url}/search?q=kettle`);
    expect(search.status).toBe(200);
    expect(((await search.json()) as { total: number }).total).toBe(2);

    await eventually(() => spanReleases(otlp.requests).some((span) => span.name === 'GET /search'));
    const searchSpan = spanReleases(otlp.requests).find((span) => span.name === 'GET /search');
    expect(searchSpan?.release).toBe('2.0.0');
    const accessLog = (l: { line: string }) =>
      l.line.includes('"message":"request"') && l.line.includes('/search');
    await eventually(() => sink.lines.some(accessLog));
    expect(JSON.parse(sink.lines.find(accessLog)?.line ?? '{}')).toMatchObject({
      release: '2.0.0',
      status: 200,
    });
    const emf = sink.lines.filter((l) => l.line.startsWith('{"_aws"')).map((l) => JSON.parse(l.line));
    expect(emf.filter((line) => line.release === '2.0.0' && line.service === 'product-search')).not.toEqual(
      [],
    );
    expect(new Set(sink.lines.map((l) => l.logGroup))).toContain(
      '/aws/apprunner/securecart-staging-product-search',
    );
    expect(container.pid).toBeGreaterThan(0);
  });

  it('runs the real recommendations server and stops it without leaving the process', async () => {
    const container = await runtime.start({
      workload: 'recommendations',
      image: 'securecart/recommendations:1.0.0',
      env: {},
      logGroup: '/aws/containerinsights/securecart-staging-eks/application',
    });
    await container.ready;
    const answer = await fetch(`${container.url}/recommendations?customerId=cust-001&limit=3`);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { strategy: string; recommendations: unknown[] };
    expect(body.strategy).toBe('co-occurrence');
    expect(body.recommendations).toHaveLength(3);
    const health = (await (await fetch(`${container.url}/health`)).json()) as { release: string };
    expect(health.release).toBe('1.0.0'); // from the image tag: the spec's env had no RELEASE_VERSION

    const pid = container.pid as number;
    expect(pidGone(pid)).toBe(false);
    expect(container.running()).toBe(true);
    await container.stop();
    expect(container.running()).toBe(false);
    expect(pidGone(pid)).toBe(true);
    await expect(fetch(`${container.url}/health`)).rejects.toThrow();
  });

  it('takes the traces URL itself as the OTLP endpoint too', async () => {
    const otlpTraces = await startOtlpRecorder();
    onTestFinished(() => new Promise<void>((resolve) => otlpTraces.server.close(() => resolve())));
    const other = createProcessRuntime({ sink, otlpEndpoint: `${otlpTraces.url}/v1/traces` });
    onTestFinished(() => other.stopAll());
    const container = await other.start({
      workload: 'recommendations',
      image: 'securecart/recommendations:1.5.0',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }, // a task definition's sidecar: overridden
      logGroup: '/local/recommendations',
    });
    await container.ready;
    expect((await fetch(`${container.url}/recommendations?customerId=cust-002`)).status).toBe(200);
    await eventually(() => spanReleases(otlpTraces.requests).some((span) => span.name === 'recommend'));
    expect(spanReleases(otlpTraces.requests).find((span) => span.name === 'recommend')?.release).toBe(
      '1.5.0',
    );
  });

  it('acts out an injected error rate of 1 as 500s, /health included, so the version never becomes ready', async () => {
    const impatient = createProcessRuntime({ sink, otlpEndpoint: otlp.url, startTimeoutMs: 1_500 });
    onTestFinished(() => impatient.stopAll());
    const container = await impatient.start({
      workload: 'product-search',
      image: 'securecart/product-search:3.0.0',
      env: { RELEASE_VERSION: '3.0.0' },
      fault: { workload: 'product-search', version: '3.0.0', errorRate: 1 },
      logGroup: '/aws/apprunner/faulty',
    });
    const statuses = await Promise.all(
      Array.from({ length: 5 }, async () => (await fetch(`${container.url}/search?q=tea`)).status),
    );
    expect(statuses).toEqual([500, 500, 500, 500, 500]);
    expect((await fetch(`${container.url}/health`)).status).toBe(500);
    await expect(container.ready).rejects.toThrow(
      /^product-search 3\.0\.0 did not answer GET \/health with 200 in time; check its logs: .*InjectedFaultError/,
    );
    expect(container.running()).toBe(true); // answering, just not healthy: the platform decides what to do
    await container.stop();
    expect(container.running()).toBe(false);
  });

  it('rejects ready with the reason when the version crashes on start', async () => {
    const container = await runtime.start({
      workload: 'recommendations',
      image: 'securecart/recommendations:4.0.0',
      env: {},
      fault: { workload: 'recommendations', version: '4.0.0', crashOnStart: true },
      logGroup: '/local/crash',
    });
    await expect(container.ready).rejects.toThrow(
      /^recommendations 4\.0\.0 exited with code 1 before \/health answered 200: .*SECURECART_INJECTED_FAULTS: this version crashes on start/,
    );
    expect(container.running()).toBe(false);
  });

  it('stopAll ends every container it started', async () => {
    const containers = await Promise.all(
      ['1.1.0', '1.2.0'].map((version) =>
        runtime.start({
          workload: 'product-search',
          image: `securecart/product-search:${version}`,
          env: {},
          logGroup: '/local/stop-all',
        }),
      ),
    );
    await Promise.all(containers.map((container) => container.ready));
    const pids = containers.map((container) => container.pid as number);
    expect(pids.map(pidGone)).toEqual([false, false]);
    await runtime.stopAll();
    expect(containers.map((container) => container.running())).toEqual([false, false]);
    expect(pids.map(pidGone)).toEqual([true, true]);
  });
});
