// Releases of payments (Lambda, production, lambda-alias: Tollgate sets the alias weights) through
// `tollgate deploy --backend local` run as a real process against a local cloud of its own per test.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, test } from 'vitest';
import type { VersionFault } from '../../src/faults/fault-plan';
import { aliasRoutes, expectOnlyRelease } from './lambda-state';
import {
  alarmsSettled,
  callsTo,
  failedReadings,
  lambdaArtifact,
  type ReleaseWorld,
  releaseWorld,
} from './release-world';

const TARGET = { workload: 'payments', environment: 'production' };
const FUNCTION = 'securecart-production-payments';
const ERRORS_ALARM = 'securecart-production-payments-errors';
const P99_ALARM = 'securecart-production-payments-p99-latency';
/** See the brief's lessons: time ×20 and ~80 requests/s keep a healthy release's alarms quiet on 2 cores. */
const WORLD = { scale: 20, rps: 80 };
const TIMEOUT = { timeout: 150_000 };
/** Adaptive retries back off in real time: a throttled release takes about twice as long. */
const THROTTLED_TIMEOUT = { timeout: 240_000 };
/** The throttling error each service answers (the names its SDK model declares), which the SDK retries. */
const THROTTLING = { lambda: 'TooManyRequestsException', monitoring: 'Throttling' };

/** The median and the alarms: what a healthy canary passes and a slower one fails in a poll or two. */
const MEDIAN_POLICY = policy(`      alarms: [${ERRORS_ALARM}, ${P99_ALARM}]
      latency: { p50Increase: 10% }
      minSamples: 100
      maxBake: 10m
      onInconclusive: rollback`);

/** Gated on the fault rate of the traces alone, so an erroring canary can only be caught by the judge. */
const ERRORS_POLICY = policy(`      errors: { maxRateIncrease: 2% }
      minSamples: 100
      maxBake: 10m
      onInconclusive: rollback`);

/** Gated on the errors alarm alone: no trace is judged, only CloudWatch can stop the canary. */
const ALARM_POLICY = policy(`      alarms: [${ERRORS_ALARM}]`, '6m');

function policy(gates: string, bake = '3m'): string {
  return `workload: payments
platform: lambda
environments:
  production:
    traffic: engine
    strategy: { canary: { weight: 20, bake: ${bake} } }
    gates:
${gates}
`;
}

async function paymentsWorld(fault?: Omit<VersionFault, 'workload'>) {
  const world = await releaseWorld(TARGET, WORLD);
  if (fault) world.cloud.faults.versions.push({ workload: TARGET.workload, ...fault });
  const lambda = new LambdaClient({ ...world.aws, maxAttempts: 1 });
  const artifact = await lambdaArtifact(world, TARGET.workload);
  // Past the cold starts of the first execution environments, as a live function is.
  await alarmsSettled(world, [ERRORS_ALARM, P99_ALARM]);
  const deploy = (version: string, policyText: string) =>
    world.deploy({ version, policy: policyText, artifact });
  return { world, lambda, artifact, deploy };
}

/** Every payment the state machine sent while the world ran was answered without a function error. */
async function expectTrafficAnswered(world: ReleaseWorld): Promise<void> {
  const stats = (await world.traffic.stop())[`${TARGET.workload}/${TARGET.environment}`];
  expect(stats?.sent).toBeGreaterThan(1000);
  expect(stats?.byStatus, JSON.stringify(stats)).toEqual({ '200': stats?.sent });
}

describe('payments on Lambda (lambda-alias), released through the local cloud', () => {
  test('a healthy version is promoted and the alias serves it alone', TIMEOUT, async () => {
    const { world, lambda, deploy } = await paymentsWorld();
    const run = await deploy('1.1.0', MEDIAN_POLICY);

    expect(run.code, run.out).toBe(0);
    expect(run.report).toMatchObject({
      outcome: 'promoted',
      backend: 'local',
      simulated: false,
      method: 'lambda-alias',
      fromVersion: '1.0.0',
      toVersion: '1.1.0',
      reason: '1.1.0 passed every gate',
    });
    expect(failedReadings(run)).toEqual([]);
    expect(run.out).toMatch(/step 1\/2: 20% of traffic on 1\.1\.0/);
    await expectOnlyRelease(world, lambda, TARGET, '1.1.0');
    await expectTrafficAnswered(world);
  });

  test('a version 50 ms slower is rolled back by the median gate', TIMEOUT, async () => {
    const { world, lambda, deploy } = await paymentsWorld({ version: '1.1.0', addedLatencyMs: 50 });
    const run = await deploy('1.1.0', MEDIAN_POLICY);

    expect(run.code, run.out).toBe(1);
    expect(run.report.outcome).toBe('rolled-back');
    expect(failedReadings(run)).toEqual(['latency:p50 latency']);
    expect(run.report.reason).toMatch(
      /^step 1\/2 fail: p50 latency: typical latency .* on canary vs .* on baseline/,
    );
    await expectOnlyRelease(world, lambda, TARGET, '1.0.0');
  });

  test('a version failing a fifth of payments is rolled back by the fault-rate gate', TIMEOUT, async () => {
    const { world, lambda, deploy } = await paymentsWorld({ version: '1.1.0', errorRate: 0.2 });
    const run = await deploy('1.1.0', ERRORS_POLICY);

    expect(run.code, run.out).toBe(1);
    expect(run.report.outcome).toBe('rolled-back');
    expect(failedReadings(run)).toEqual(['errors:fault rate']);
    expect(run.report.reason).toMatch(/^step 1\/2 fail: fault rate: faults .* of canary requests/);
    await expectOnlyRelease(world, lambda, TARGET, '1.0.0');
  });

  test('the errors alarm going off mid-bake rolls the canary back, naming the alarm', TIMEOUT, async () => {
    const { world, lambda, deploy } = await paymentsWorld({ version: '1.1.0', errorRate: 0.2 });
    const run = await deploy('1.1.0', ALARM_POLICY);

    expect(run.code, run.out).toBe(1);
    expect(run.report.outcome).toBe('rolled-back');
    expect(failedReadings(run)).toEqual([`alarm:${ERRORS_ALARM}`]);
    expect(run.report.reason).toMatch(
      new RegExp(`^step 1/2 fail: ${ERRORS_ALARM}: in ALARM: Threshold Crossed`),
    );
    // Clear when the release began: it went off while the new version was baking.
    expect(run.report.events.find((e) => e.type === 'preflight')?.message).toMatch(
      /^preflight passed: 1 gating alarms? clear$/,
    );
    await expectOnlyRelease(world, lambda, TARGET, '1.0.0');
  });

  test(
    'a throttling Lambda and CloudWatch API still let a healthy release end promoted',
    THROTTLED_TIMEOUT,
    async () => {
      const { world, lambda, deploy } = await paymentsWorld();
      const throttles = [
        { service: 'lambda', throttleShare: 0.3 },
        { service: 'monitoring', throttleShare: 0.3 },
      ];
      world.cloud.faults.api.push(...throttles);
      const run = await deploy('1.1.0', MEDIAN_POLICY);
      world.cloud.faults.api.splice(0, world.cloud.faults.api.length);

      expect(run.code, run.out).toBe(0);
      expect(run.report.outcome).toBe('promoted');
      for (const [service, throttling] of Object.entries(THROTTLING)) {
        const { calls, failed, unretried } = callsTo(world, service);
        // The wire layer throttles exactly floor(n·share) of the n calls a fault matches (api-faults.ts).
        expect(calls.length).toBeGreaterThan(4);
        expect(failed.length).toBe(Math.floor(calls.length * 0.3));
        expect(new Set(failed.map((call) => call.error))).toEqual(new Set([throttling]));
        expect(unretried).toEqual([]);
      }
      await expectOnlyRelease(world, lambda, TARGET, '1.1.0');
    },
  );

  test(
    'a release killed mid-canary is resumed by the next run and ends on one version',
    TIMEOUT,
    async () => {
      const { world, lambda, artifact, deploy } = await paymentsWorld();
      const first = await world.spawnDeploy({ version: '1.1.0', policy: MEDIAN_POLICY, artifact });
      await first.line(/shift +step 1\/2: 20% of traffic on 1\.1\.0/);
      first.child.kill('SIGKILL');
      expect((await first.done).signal).toBe('SIGKILL');

      const split = await aliasRoutes(lambda, FUNCTION);
      expect(split.releases).toEqual(['1.0.0', '1.1.0']);
      expect(Object.values(split.weights)).toEqual([0.2]);
      expect((await world.ledger()).map((r) => r.outcome)).toEqual(['in-progress']);

      const rerun = await deploy('1.1.0', MEDIAN_POLICY);
      expect(rerun.code, rerun.out).toBe(0);
      expect(rerun.report.outcome).toBe('promoted');
      expect(rerun.out).toMatch(/interrupted release of 1\.1\.0; resuming at 20%/);
      await expectOnlyRelease(world, lambda, TARGET, '1.1.0');
      const records = await world.ledger();
      expect(records.map((r) => [r.toVersion, r.outcome])).toEqual([
        ['1.1.0', 'abandoned'],
        ['1.1.0', 'promoted'],
      ]);
    },
  );
});
