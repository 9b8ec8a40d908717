// Releases of product-search (App Runner, production: replaced in place, then judged against the traffic
// before the release) through `tollgate deploy --backend local` run as a real process, one local cloud
// per test.
import {
  AppRunnerClient,
  DescribeServiceCommand,
  ListOperationsCommand,
  ListServicesCommand,
} from '@aws-sdk/client-apprunner';
import { describe, expect, test } from 'vitest';
import type { VersionFault } from '../../src/faults/fault-plan';
import {
  alarmsSettled,
  callsTo,
  failedReadings,
  type ReleaseWorld,
  releaseWorld,
  tracedReleases,
} from './release-world';

const TARGET = { workload: 'product-search', environment: 'production' };
const SERVICE = 'securecart-production-product-search';
const IMAGE = '222222222222.dkr.ecr.eu-west-1.amazonaws.com/securecart/production/product-search';
const FIVE_XX_ALARM = 'securecart-production-product-search-5xx';
const WORLD = { scale: 20, rps: 80 };
const TIMEOUT = { timeout: 150_000 };
/** Adaptive retries back off in real time: a throttled release takes about twice as long. */
const THROTTLED_TIMEOUT = { timeout: 240_000 };
/** The throttling error each service answers, which its SDK retries (App Runner declares none). */
const THROTTLING = { apprunner: 'ThrottlingException', xray: 'ThrottledException' };

/**
 * The median and the 5xx alarm. Not the p99-latency alarm: its 300 ms threshold measures the host here,
 * not the version. At time ×20 a real second of a busy CPU (another test's processes starting, on two
 * cores) is a third of an alarm period, and two such minutes trip it on a healthy release; the median,
 * which a slower version moves, does not see them.
 */
const MEDIAN_POLICY = policy(`      alarms: [${FIVE_XX_ALARM}]
      latency: { p50Increase: 15% }
      minSamples: 100`);

/** The fault rate of the traces alone: an erroring version can only be caught by the judge. */
const ERRORS_POLICY = policy(`      errors: { maxRateIncrease: 2% }
      minSamples: 100`);

/** The 5xx alarm alone: no trace is judged, only CloudWatch can stop the release. */
const ALARM_POLICY = policy(`      alarms: [${FIVE_XX_ALARM}]`);

function policy(gates: string): string {
  return `workload: product-search
platform: apprunner
environments:
  production:
    strategy: { allAtOnce: { bake: 6m } }
    gates:
${gates}
`;
}

/**
 * The new version is judged against the stable one's traces of the bake's length before the release,
 * so the release starts once 1.0.0 has served enough of them (bounded by tracedReleases' own wait), and
 * once the alarms are past the cold start of the service's process.
 */
async function productSearchWorld(fault?: Omit<VersionFault, 'workload'>) {
  const world = await releaseWorld(TARGET, WORLD);
  if (fault) world.cloud.faults.versions.push({ workload: TARGET.workload, ...fault });
  const appRunner = new AppRunnerClient({ ...world.aws, maxAttempts: 1 });
  const since = world.cloud.clock.now() - 60_000;
  expect(Object.keys(await tracedReleases(world, TARGET, since, 300))).toEqual(['1.0.0']);
  await alarmsSettled(world, [FIVE_XX_ALARM]);
  const deploy = (version: string, policyText: string) => world.deploy({ version, policy: policyText });
  return { world, appRunner, deploy };
}

/** What the service runs, as DescribeService and ListOperations answer it. */
async function serviceState(appRunner: AppRunnerClient) {
  const listed = await appRunner.send(new ListServicesCommand({}));
  const arn = listed.ServiceSummaryList?.find((s) => s.ServiceName === SERVICE)?.ServiceArn;
  const { Service } = await appRunner.send(new DescribeServiceCommand({ ServiceArn: arn }));
  const { OperationSummaryList } = await appRunner.send(
    new ListOperationsCommand({ ServiceArn: arn, MaxResults: 1 }),
  );
  const image = Service?.SourceConfiguration?.ImageRepository;
  return {
    status: Service?.Status,
    image: image?.ImageIdentifier,
    release: image?.ImageConfiguration?.RuntimeEnvironmentVariables?.RELEASE_VERSION,
    operation: OperationSummaryList?.[0]?.Status,
  };
}

/** The service runs `release`'s image, its last operation done, and the requests since ran on it alone. */
async function expectServing(world: ReleaseWorld, appRunner: AppRunnerClient, release: string) {
  const since = world.cloud.clock.now();
  expect(await serviceState(appRunner)).toEqual({
    status: 'RUNNING',
    image: `${IMAGE}:${release}`,
    release,
    operation: 'SUCCEEDED',
  });
  expect(Object.keys(await tracedReleases(world, TARGET, since))).toEqual([release]);
}

describe('product-search on App Runner, released through the local cloud', () => {
  test('a healthy version is promoted and the service serves it', TIMEOUT, async () => {
    const { world, appRunner, deploy } = await productSearchWorld();
    const run = await deploy('1.1.0', MEDIAN_POLICY);

    expect(run.code, run.out).toBe(0);
    expect(run.report).toMatchObject({
      outcome: 'promoted',
      backend: 'local',
      simulated: false,
      method: 'apprunner',
      fromVersion: '1.0.0',
      toVersion: '1.1.0',
      reason: "1.1.0 passed every gate of the platform's schedule",
    });
    expect(failedReadings(run)).toEqual([]);
    expect(run.out).toMatch(/the platform gave 1\.1\.0 all traffic; judging it for 6m/);
    await expectServing(world, appRunner, '1.1.0');
    // Through the in-place switch every request was answered: 200s, and the 2% of client mistakes as 400s.
    const stats = (await world.traffic.stop())[`${TARGET.workload}/${TARGET.environment}`];
    expect(stats?.sent).toBeGreaterThan(1000);
    expect(Object.keys(stats?.byStatus ?? {}).sort()).toEqual(['200', '400']);
    expect(stats?.byStatus['400']).toBeLessThan((stats?.sent ?? 0) * 0.05);
  });

  test('a version 50 ms slower is rolled back by the median gate', TIMEOUT, async () => {
    const { world, appRunner, deploy } = await productSearchWorld({ version: '1.1.0', addedLatencyMs: 50 });
    const run = await deploy('1.1.0', MEDIAN_POLICY);

    expect(run.code, run.out).toBe(1);
    expect(run.report.outcome).toBe('rolled-back');
    expect(failedReadings(run)).toEqual(['latency:p50 latency']);
    expect(run.report.reason).toMatch(
      /^step 1\/1 fail: p50 latency: typical latency .* on canary vs .* on baseline/,
    );
    await expectServing(world, appRunner, '1.0.0');
  });

  test('a version failing a fifth of searches is rolled back by the fault-rate gate', TIMEOUT, async () => {
    const { world, appRunner, deploy } = await productSearchWorld({ version: '1.1.0', errorRate: 0.2 });
    const run = await deploy('1.1.0', ERRORS_POLICY);

    expect(run.code, run.out).toBe(1);
    expect(run.report.outcome).toBe('rolled-back');
    expect(failedReadings(run)).toEqual(['errors:fault rate']);
    expect(run.report.reason).toMatch(/^step 1\/1 fail: fault rate: faults .* of canary requests/);
    await expectServing(world, appRunner, '1.0.0');
  });

  test('the 5xx alarm going off mid-bake rolls the release back, naming the alarm', TIMEOUT, async () => {
    const { world, appRunner, deploy } = await productSearchWorld({ version: '1.1.0', errorRate: 0.2 });
    const run = await deploy('1.1.0', ALARM_POLICY);

    expect(run.code, run.out).toBe(1);
    expect(run.report.outcome).toBe('rolled-back');
    expect(failedReadings(run)).toEqual([`alarm:${FIVE_XX_ALARM}`]);
    expect(run.report.reason).toMatch(
      new RegExp(`^step 1/1 fail: ${FIVE_XX_ALARM}: in ALARM: Threshold Crossed`),
    );
    // Clear when the release began: it went off while the new version was baking.
    expect(run.report.events.find((e) => e.type === 'preflight')?.message).toMatch(
      /^preflight passed: 1 gating alarms? clear$/,
    );
    await expectServing(world, appRunner, '1.0.0');
  });

  test(
    'a throttling App Runner and X-Ray API still let a healthy release end promoted',
    THROTTLED_TIMEOUT,
    async () => {
      const { world, appRunner, deploy } = await productSearchWorld();
      world.cloud.faults.api.push(
        { service: 'apprunner', throttleShare: 0.3 },
        { service: 'xray', throttleShare: 0.3 },
      );
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
      await expectServing(world, appRunner, '1.1.0');
    },
  );

  test('a release killed mid-bake is reconciled by the next run and the ledger closed', TIMEOUT, async () => {
    const { world, appRunner } = await productSearchWorld();
    const first = await world.spawnDeploy({ version: '1.1.0', policy: MEDIAN_POLICY });
    await first.line(/shift +the platform gave 1\.1\.0 all traffic; judging it/);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    expect((await serviceState(appRunner)).release).toBe('1.1.0');
    expect((await world.ledger()).map((r) => r.outcome)).toEqual(['in-progress']);

    const rerun = await world.deploy({ version: '1.1.0', policy: MEDIAN_POLICY });
    expect(rerun.code, rerun.out).toBe(0);
    expect(rerun.report).toMatchObject({ outcome: 'promoted', reason: '1.1.0 was already stable' });
    await expectServing(world, appRunner, '1.1.0');
    expect((await world.ledger()).map((r) => [r.toVersion, r.outcome])).toEqual([
      ['1.1.0', 'abandoned'],
      ['1.1.0', 'promoted'],
    ]);
  });

  test('a release killed while App Runner updates is resumed by the next run', TIMEOUT, async () => {
    const { world, appRunner } = await productSearchWorld();
    const first = await world.spawnDeploy({ version: '1.1.0', policy: MEDIAN_POLICY });
    await first.line(/platform +deployment \S+ of 1\.1\.0 started/);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    expect((await serviceState(appRunner)).operation).toBe('IN_PROGRESS');

    const rerun = await world.deploy({ version: '1.1.0', policy: MEDIAN_POLICY });
    expect(rerun.code, rerun.out).toBe(0);
    expect(rerun.report.outcome).toBe('promoted');
    expect(rerun.out).toMatch(/from an interrupted release of 1\.1\.0; resuming/);
    expect(rerun.out).toMatch(/judging it for 6m/);
    await expectServing(world, appRunner, '1.1.0');
    expect((await world.ledger()).map((r) => [r.toVersion, r.outcome])).toEqual([
      ['1.1.0', 'abandoned'],
      ['1.1.0', 'promoted'],
    ]);
  });
});
