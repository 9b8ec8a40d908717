import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startTraffic } from '../../src/traffic/load-generator';

/** A local HTTP server counting what it receives; `hang` never answers. */
async function countingServer(hang = false) {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(req.url ?? '');
    if (hang) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('load generator', () => {
  it('keeps a steady real rate and stops sending when stopped', async () => {
    const target = await countingServer();
    const started = performance.now();
    const traffic = startTraffic({
      workload: 'product-search',
      entry: { kind: 'http', url: target.url },
      requestsPerSecond: 50,
    });
    await sleep(1_000);
    const stats = await traffic.stop();
    const elapsed = performance.now() - started;
    const expected = Math.floor((elapsed * 50) / 1000) + 1;
    expect(Math.abs(stats.sent - expected)).toBeLessThanOrEqual(3);
    expect(stats.sent).toBeGreaterThanOrEqual(45);
    expect(stats).toMatchObject({ ok: stats.sent, failed: 0, skipped: 0, byStatus: { '200': stats.sent } });
    const received = target.received.length;
    expect(received).toBe(stats.sent);
    await sleep(200);
    expect(target.received.length).toBe(received);
    expect(target.received.every((path) => path.startsWith('/search?'))).toBe(true);
  });

  it('bounds the requests waiting on a slow target and skips the rest instead of queueing them', async () => {
    const target = await countingServer(true);
    const traffic = startTraffic({
      workload: 'recommendations',
      entry: { kind: 'http', url: target.url },
      requestsPerSecond: 100,
      maxInFlight: 5,
      stopGraceMs: 50,
    });
    await sleep(300);
    const stats = await traffic.stop();
    expect(stats.sent).toBe(5);
    expect(stats.skipped).toBeGreaterThanOrEqual(20);
    expect(stats.byStatus).toEqual({ aborted: 5 });
    expect(stats.failed).toBe(5);
  });

  it('refuses an entry point of the wrong kind and unknown workloads', () => {
    const invoke = { kind: 'invoke' as const, invoke: async () => ({}) };
    expect(() => startTraffic({ workload: 'auth', entry: invoke, requestsPerSecond: 1 })).toThrow(
      'auth is reached through an http entry point, not invoke',
    );
    expect(() => startTraffic({ workload: 'inventory', entry: invoke, requestsPerSecond: 1 })).toThrow(
      /no traffic scenario for "inventory"; workloads with traffic: auth, checkout/,
    );
    expect(() => startTraffic({ workload: 'payments', entry: invoke, requestsPerSecond: 0 })).toThrow(
      'requestsPerSecond must be above 0 and at most 1000, not 0',
    );
  });
});
