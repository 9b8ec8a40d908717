import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/load-policy';
import { TEST_MANIFEST } from '../fixtures/manifest';
import { eventTypes, setUp } from './harness';

const MINUTE = 60_000;

/** App Runner cannot split traffic: replace in place, then judge against the traffic before the release. */
const searchPolicy = `workload: search
platform: apprunner
environments:
  production:
    strategy: { allAtOnce: { bake: 10m } }
    gates:
      alarms: [shop-production-search-5xx]
      latency: { p50Increase: 10%, p99Increase: 30% }
      errors: { maxRateIncrease: 1% }
      minSamples: 100
`;

describe('a release a platform replaces in place (App Runner)', () => {
  it('judges the new version after the switch against the stable one before it, then promotes', async () => {
    const run = await setUp({ yaml: searchPolicy });
    // The simulated stable version has been serving for an hour before the release.
    run.session.memory.clock.advance(60 * MINUTE);
    const { record, exitCode } = await run.release();

    expect(exitCode).toBe(0);
    expect(record.outcome).toBe('promoted');
    expect(eventTypes(run.events)).toEqual([
      'plan',
      'preflight',
      'prepare',
      'platform',
      'shift',
      'step-passed',
      'promote',
    ]);
    const [step] = record.steps;
    expect(step).toMatchObject({ weight: 100, bakeMs: 10 * MINUTE, verdict: 'pass' });
    const latency = step?.readings.find((reading) => reading.metric === 'p50 latency');
    expect(latency?.samples?.baseline).toBeGreaterThan(1_000);
    expect(record.limits).toContain(
      "The new version takes all traffic before it is judged, against the stable version's traffic in the same length of time before the release (not the same window: a shift in load between the two shows as a difference).",
    );
  });

  it('deploys the stable version again when the new one regresses', async () => {
    const run = await setUp({ yaml: searchPolicy, scenario: 'slow-canary' });
    run.session.memory.clock.advance(60 * MINUTE);
    const { record } = await run.release();

    expect(record.outcome).toBe('rolled-back');
    expect(record.reason).toContain('p50 latency');
    expect(await run.traffic()).toBe('v1 at 100%');
    expect(run.session.memory.platform.history.map((change) => change.stable)).toEqual(['v1', 'v2', 'v1']);
  });

  it('is refused where the target can split traffic: run a canary there instead', () => {
    const yaml = searchPolicy
      .replace('workload: search\nplatform: apprunner', 'workload: orders\nplatform: lambda')
      .replace('shop-production-search-5xx', 'shop-production-orders-5xx');
    expect(() => parsePolicy(yaml, 'orders.yml', TEST_MANIFEST)).toThrow(
      'orders.yml:5:15: environments.production.strategy: an all-at-once release judged afterwards compares against the traffic before it, which only targets that cannot split traffic do; Lambda alias live weights, set by Tollgate at every step can run a canary instead',
    );
  });
});
