// Issue 10, end to end on ECS: auth (production, ECS-native canary paused by Tollgate's PAUSE hook) released
// by `tollgate deploy --backend local` as a real process against the local cloud, one cloud per test.
import { expect, test } from 'vitest';
import { alarmsEvaluated } from './container-alarms';
import { ecsState } from './container-ecs-state';
import { killedAt } from './container-killed-release';
import { servedReleases } from './container-serving';
import { callsTo, type DeployRun, type ReleaseWorld, releaseWorld } from './release-world';

const TARGET = { workload: 'auth', environment: 'production' };
/**
 * POST /token runs scrypt at production cost (N = 16384). ECS itself watches auth's p99 alarm (0.5 s over
 * 1-minute periods, 2 of 3) as a deployment alarm, and at ×20 a cloud minute holds 3 real seconds of
 * traffic: its p99 is the slowest of those requests, so one CPU stall in two such windows rolls a healthy
 * deployment back. At 30 requests/s on two busy cores that happened (p99 0.75–1.3 s); at 20 the periods
 * stay under 0.25 s but for the odd one.
 */
const WORLD = { scale: 20, rps: 20 };
const TIMEOUT = { timeout: 150_000 };
/** What a deployment needs past Tollgate's run: ECS's own 5-minute bake and clean-up, or a rollback's drain. */
const SETTLE_CLOUD_MS = 10 * 60_000;
/** GET /health answers sampled through the ALB: at 10% one in ten goes to the canary. */
const SAMPLES = 100;

const ALB_5XX_ALARMS = `alarms:
        - securecart-production-auth-5xx
        - securecart-production-auth-errors`;

/**
 * The canary's typical latency within 15% (the dependency's 20 ms dominates a healthy auth request) and the
 * ALB's 5xx alarms. No p99 gate: a 10% canary at these rates has too few samples to pass a tail test. The
 * canary gets 2 requests a real second, 0.1 a cloud second (the judge is built for 5): auth's mix of cheap
 * verifications and scrypt logins is wide, so ruling out +38% took 70–90 samples, past a 12-minute bake once.
 */
const LATENCY_POLICY = policy(`${ALB_5XX_ALARMS}
      latency:
        p50Increase: 15%
      minSamples: 25
      maxBake: 20m`);

/**
 * The canary's fault rate within 2 points of the baseline's, and the same alarms. Not in LATENCY_POLICY: a
 * healthy 10% canary needs about 100 requests (over 30 s here) before the fault test can pass it.
 */
const ERROR_POLICY = policy(`${ALB_5XX_ALARMS}
      errors:
        maxRateIncrease: 2%
      minSamples: 25
      maxBake: 12m`);

const P99_ALARM = 'securecart-production-auth-p99-latency';

/** Gated on the ALB's p99 alarm only: nothing but CloudWatch judges the canary. */
const ALARM_POLICY = policy(
  `alarms:
        - securecart-production-auth-p99-latency`,
  '8m',
);

function policy(gates: string, bake = '4m'): string {
  return `workload: auth
platform: ecs
environments:
  production:
    strategy: { canary: { weight: 10, bake: ${bake} } }
    gates:
      ${gates}
      onInconclusive: rollback
`;
}

/** Every alarm ECS watches as a deployment alarm of auth (the manifest's, provisioned on the service). */
const DEPLOYMENT_ALARMS = [
  'securecart-production-auth-errors',
  'securecart-production-auth-5xx',
  'securecart-production-auth-p99-latency',
];
/** Cloud time for a new process's warm-up minute (p99 0.2–2.5 s) to leave the alarms' 3-period window. */
const WARM_UP_CLOUD_MS = 4 * 60_000;

/**
 * A cloud running auth with traffic, once its warm-up is out of the deployment alarms' window and they are
 * all OK: otherwise the world's start and the release's (the CLI starting, the canary's task starting)
 * make two slow minutes in a row, and ECS rolls a healthy deployment back on auth's p99 alarm by itself.
 */
async function steadyWorld(): Promise<ReleaseWorld> {
  const world = await releaseWorld(TARGET, WORLD);
  const notBefore = world.cloud.clock.now() + WARM_UP_CLOUD_MS;
  await alarmsEvaluated(world, DEPLOYMENT_ALARMS, { state: 'OK', notBefore });
  return world;
}

function expectReport(run: DeployRun, outcome: 'promoted' | 'rolled-back'): void {
  expect(run.code, run.out).toBe(outcome === 'promoted' ? 0 : 1);
  expect(run.report).toMatchObject({ outcome, backend: 'local', simulated: false, toVersion: '1.1.0' });
}

/** The version ECS's service runs, and the only one the ALB's production listener answers with. */
async function expectOnly(world: ReleaseWorld, release: string): Promise<void> {
  expect(await ecsState(world, 'auth').serviceRelease()).toBe(release);
  expect(await servedReleases(world.cloud, 'auth', SAMPLES)).toEqual({ [release]: SAMPLES });
}

async function expectRolledBackByEcs(world: ReleaseWorld): Promise<void> {
  const [newest] = await ecsState(world, 'auth').settled(SETTLE_CLOUD_MS);
  expect(newest).toMatchObject({ targetRelease: '1.1.0', status: 'ROLLBACK_SUCCESSFUL', targetWeight: 0 });
  await expectOnly(world, '1.0.0');
}

interface Reading {
  gate: string;
  metric: string;
  verdict: string;
  reason: string;
}

/**
 * How often the releases sent each ECS operation that moves a deployment. Tollgate's PAUSE hook stops the
 * deployment before each production traffic shift: one UpdateService starts it, and each step is one
 * ContinueServiceDeployment (CONTINUE to shift; ROLLBACK at a pause to roll back).
 */
function deploymentCalls(world: ReleaseWorld): Record<string, number> {
  const moving = ['UpdateService', 'ContinueServiceDeployment', 'StopServiceDeployment'];
  const counts: Record<string, number> = Object.fromEntries(moving.map((operation) => [operation, 0]));
  for (const call of callsTo(world, 'ecs').calls)
    if (call.operation in counts && call.status === 200)
      counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  return counts;
}

/** The readings that failed the first step. */
function failed(run: DeployRun): Reading[] {
  const { steps } = run.report as unknown as { steps: { readings: Reading[] }[] };
  return (steps[0]?.readings ?? []).filter((reading) => reading.verdict === 'fail');
}

/** The same, as `<gate>:<metric>`. */
function failedReadings(run: DeployRun): string[] {
  return failed(run).map((reading) => `${reading.gate}:${reading.metric}`);
}

test('a healthy version is promoted, and ECS finishes its deployment on it', TIMEOUT, async () => {
  const world = await steadyWorld();
  const run = await world.deploy({ version: '1.1.0', policy: LATENCY_POLICY });
  expectReport(run, 'promoted');
  expect(run.report.reason).toBe('1.1.0 passed every gate');
  // Continued at the pause before 10%, then at the pause before 100%.
  expect(deploymentCalls(world)).toEqual({
    UpdateService: 1,
    ContinueServiceDeployment: 2,
    StopServiceDeployment: 0,
  });
  const deployments = await ecsState(world, 'auth').settled(SETTLE_CLOUD_MS);
  expect(deployments).toHaveLength(1);
  expect(deployments[0]).toMatchObject({ targetRelease: '1.1.0', status: 'SUCCESSFUL', targetWeight: 100 });
  await expectOnly(world, '1.1.0');
});

test('a version 50 ms slower is rolled back by the p50 latency gate', TIMEOUT, async () => {
  const world = await steadyWorld();
  world.cloud.faults.versions.push({ workload: 'auth', version: '1.1.0', addedLatencyMs: 50 });
  const run = await world.deploy({ version: '1.1.0', policy: LATENCY_POLICY });
  expectReport(run, 'rolled-back');
  expect(failedReadings(run), run.out).toEqual(['latency:p50 latency']);
  expect(run.report.reason).toMatch(
    /^step 1\/2 fail: p50 latency: typical latency .* on canary vs .* on baseline/,
  );
  // Continued at the pause before 10%; answered at the pause before 100% with ROLLBACK, not stopped.
  expect(deploymentCalls(world)).toEqual({
    UpdateService: 1,
    ContinueServiceDeployment: 2,
    StopServiceDeployment: 0,
  });
  await expectRolledBackByEcs(world);
});

test('a version failing 20% of requests is rolled back by the error-rate gate', TIMEOUT, async () => {
  const world = await steadyWorld();
  world.cloud.faults.versions.push({ workload: 'auth', version: '1.1.0', errorRate: 0.2 });
  const run = await world.deploy({ version: '1.1.0', policy: ERROR_POLICY });
  expectReport(run, 'rolled-back');
  expect(failedReadings(run), run.out).toEqual(['errors:fault rate']);
  expect(run.report.reason).toMatch(/^step 1\/2 fail: fault rate: faults .* of canary requests/);
  await expectRolledBackByEcs(world);
});

test('the p99 latency alarm firing mid-bake rolls the canary back', TIMEOUT, async () => {
  const world = await steadyWorld();
  // 600 ms on every canary request: a tenth of the ALB's requests, so its p99 crosses the alarm's 0.5 s.
  world.cloud.faults.versions.push({ workload: 'auth', version: '1.1.0', addedLatencyMs: 600 });
  const run = await world.deploy({ version: '1.1.0', policy: ALARM_POLICY });
  expectReport(run, 'rolled-back');
  expect(failedReadings(run), run.out).toContain('alarm:securecart-production-auth-p99-latency');
  // ECS watches the same alarm as a deployment alarm (every 30 cloud s): if it saw it first and rolled back
  // by itself, the platform's reading fails too, naming that alarm. Nothing else may fail the step.
  for (const reading of failed(run).filter((r) => r.gate !== 'alarm'))
    expect(reading).toMatchObject({ gate: 'platform', reason: expect.stringContaining(P99_ALARM) });
  expect(run.report.reason).toMatch(
    /^step 1\/2 fail: .*securecart-production-auth-p99-latency: in ALARM: Threshold Crossed/,
  );
  await expectRolledBackByEcs(world);
});

test('a throttled ECS API (30% of calls) still ends in a promotion', TIMEOUT, async () => {
  const world = await steadyWorld();
  const throttle = { service: 'ecs', throttleShare: 0.3 };
  world.cloud.faults.api.push(throttle);
  const run = await world.deploy({ version: '1.1.0', policy: LATENCY_POLICY });
  world.cloud.faults.api.splice(world.cloud.faults.api.indexOf(throttle), 1);
  expectReport(run, 'promoted');
  // What the CLI was answered on the wire. Nothing else called ECS while the fault was in the plan, and the
  // cloud's share is deterministic (call n is hit when ⌊0.3n⌋ grows), so exactly ⌊0.3 × calls⌋ were throttled.
  const { calls, failed: throttled, unretried } = callsTo(world, 'ecs');
  expect(throttled.length).toBe(Math.floor(calls.length * 0.3));
  expect(throttled.length).toBeGreaterThanOrEqual(10);
  expect(new Set(throttled.map((call) => `${call.status} ${call.error}`))).toEqual(
    new Set(['400 ThrottlingException']),
  );
  expect(unretried).toEqual([]);
  await expectOnly(world, '1.1.0');
});

test('a release killed mid-canary is resumed by the next run, which promotes it', TIMEOUT, async () => {
  const world = await steadyWorld();
  const request = { version: '1.1.0', policy: LATENCY_POLICY };
  await killedAt(world, request, /\bshift\b.*step 1\/2: 10% of traffic on 1\.1\.0/);
  const ecs = ecsState(world, 'auth');
  const [left] = await ecs.deployments();
  expect(left).toMatchObject({ targetRelease: '1.1.0', status: 'IN_PROGRESS', targetWeight: 10 });
  const split = await servedReleases(world.cloud, 'auth', 2 * SAMPLES);
  expect(Object.keys(split).sort()).toEqual(['1.0.0', '1.1.0']);
  // About a tenth on the canary (binomially, 2..25% of 200 samples is beyond ±3 standard deviations).
  expect(split['1.1.0']).toBeGreaterThanOrEqual(4);
  expect(split['1.1.0']).toBeLessThanOrEqual(50);

  const run = await world.deploy(request);
  expectReport(run, 'promoted');
  expect(run.report.fromVersion).toBe('1.0.0');
  // The killed run started the deployment and continued it once; the second continued it to 100%.
  expect(deploymentCalls(world)).toEqual({
    UpdateService: 1,
    ContinueServiceDeployment: 2,
    StopServiceDeployment: 0,
  });
  expect(run.out).toMatch(
    /reconcile\s+found .*1\.1\.0 at 10%.* from an interrupted release of 1\.1\.0; resuming at 10%/,
  );
  const deployments = await ecs.settled(SETTLE_CLOUD_MS);
  // The deployment the killed run started was continued, not replaced by a second one.
  expect(deployments).toHaveLength(1);
  expect(deployments[0]).toMatchObject({ targetRelease: '1.1.0', status: 'SUCCESSFUL', targetWeight: 100 });
  await expectOnly(world, '1.1.0');
});
