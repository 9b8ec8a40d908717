import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/ledger/memory-ledger';
import { AppRunnerPlatform } from '../../../src/platforms/apprunner/apprunner-platform';
import { environmentOf, parsePolicy } from '../../../src/policy/load-policy';
import { runRelease } from '../../../src/release/run-release';
import { MemoryAlarms } from '../../../src/signals/memory-alarms';
import { SyntheticTraces } from '../../../src/signals/synthetic-traces';
import type { AppRunnerTarget } from '../../../src/targets/manifest';
import { VirtualClock } from '../../../src/time/clock';
import { expectValidRequests, sentRequests } from '../../aws/validated-mock';
import { TEST_MANIFEST } from '../../fixtures/manifest';
import { FakeAppRunner } from './fake-apprunner';

const MINUTE = 60_000;
const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/search@sha256:bbb';
const POLICY = `workload: search
platform: apprunner
environments:
  production:
    strategy: { allAtOnce: { bake: 10m } }
    gates:
      alarms: [shop-production-search-5xx]
      latency: { p50Increase: 10%, p99Increase: 30% }
      minSamples: 100
`;
const healthy = { medianMs: 80, sigma: 0.5, faultRate: 0.001 };

let fake: FakeAppRunner | undefined;
afterEach(() => {
  if (fake) expectValidRequests(fake.stub, '@aws-sdk/client-apprunner');
  fake?.stub.restore();
});

async function release(canary: typeof healthy) {
  const environment = environmentOf(parsePolicy(POLICY, 'search.yml', TEST_MANIFEST), 'production');
  const clock = new VirtualClock(Date.parse('2026-06-01T00:00:00Z'));
  const app = new FakeAppRunner(() => clock.now(), 4 * MINUTE);
  fake = app;
  clock.advance(60 * MINUTE); // the stable release has served for an hour
  const platform = new AppRunnerPlatform({
    workload: 'search',
    target: environment.target as AppRunnerTarget,
    capabilities: environment.capabilities,
    client: app.client,
    sleep: (ms) => clock.sleep(ms),
  });
  const traces = new SyntheticTraces({
    requestsPerSecond: 20,
    seed: 3,
    shareAt: (version, at) => app.shareAt(version, at),
    profiles: { '1': healthy, '2': canary },
    now: () => clock.now(),
  });
  const signals = { alarms: new MemoryAlarms(() => clock.now(), environment.target.alarms), traces };
  const request = {
    workload: 'search',
    environment,
    version: '2',
    actor: 'ci',
    artifact: { kind: 'image' as const, uri: IMAGE },
  };
  const result = await runRelease(request, {
    platform,
    signals,
    clock,
    ledger: new MemoryLedger(),
    backend: 'aws',
  });
  const writes = sentRequests(app.stub)
    .map((r) => r.operation)
    .filter((operation) => ['TagResource', 'UpdateService'].includes(operation));
  return { result, writes, running: app.running() };
}

describe('the engine releasing an App Runner service over its API', () => {
  it('a healthy version replaces the stable one, is judged for ten minutes and stays', async () => {
    const { result, writes, running } = await release(healthy);
    expect(result.record.outcome).toBe('promoted');
    expect(writes).toEqual(['TagResource', 'TagResource', 'UpdateService']);
    expect(running).toEqual({ image: IMAGE, release: '2' });
  });

  it('a slower version is replaced by the stable one again once the judge sees it', async () => {
    const { result, writes, running } = await release({ ...healthy, medianMs: 140 });
    expect(result.record.outcome).toBe('rolled-back');
    expect(result.record.reason).toContain('p50 latency');
    expect(writes).toEqual(['TagResource', 'TagResource', 'UpdateService', 'UpdateService']);
    expect(running).toEqual({
      image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/search@sha256:aaa',
      release: '1',
    });
  });
});
