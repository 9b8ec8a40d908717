import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EcsNativePlatform } from '../../../src/platforms/ecs/ecs-native-platform';
import { NATIVE_PERMISSIONS } from '../../../src/platforms/ecs/permissions';
import { expectValidRequests, sentRequests } from '../../aws/validated-mock';
import { ECS_SDK } from './ecs-model';
import type { FakeNativeEcs } from './fake-native-ecs';
import { AUTH, CANARY_10, imageOf, LINEAR_30, NATIVE, nativeWorld } from './native-world';

const MINUTE = 60_000;
const FAMILY = 'arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-production-auth';
const V1 = { version: '1.0.0', ref: `${FAMILY}:1` };
const V2 = { version: '2.0.0', ref: `${FAMILY}:2` };
const DEPLOYMENT =
  'arn:aws:ecs:eu-west-1:222222222222:service-deployment/shop-production/shop-production-auth/xxxxxxxxxxxxxxxxxxxxx1';
const SERVICE = { cluster: 'shop-production', service: 'shop-production-auth' };
const WRITES = new Set([
  'RegisterTaskDefinition',
  'UpdateService',
  'ContinueServiceDeployment',
  'StopServiceDeployment',
]);
const ARTIFACT = { version: '2.0.0', source: { kind: 'image' as const, uri: imageOf('2.0.0') } };
/** What Tollgate adds to the service's deployment configuration for a release (see native-schedule.ts). */
const PAUSE_HOOK = {
  targetType: 'PAUSE',
  lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
  timeoutConfiguration: { timeoutInMinutes: 1440, action: 'ROLLBACK' },
};

const fakes: FakeNativeEcs[] = [];
const sent = new Set<string>();
afterEach(() => {
  for (const fake of fakes.splice(0)) {
    expectValidRequests(fake.stub, ECS_SDK);
    for (const request of sentRequests(fake.stub)) sent.add(`ecs:${request.operation}`);
  }
});
afterAll(() => {
  const listed = new Set(NATIVE_PERMISSIONS.map((permission) => permission.action));
  expect(
    [...sent].filter((action) => !listed.has(action)),
    'sent but not in NATIVE_PERMISSIONS',
  ).toEqual([]);
  const called = NATIVE_PERMISSIONS.filter((permission) => !permission.checkedOn).map((p) => p.action);
  expect(
    called.filter((action) => !sent.has(action)),
    'listed, never sent',
  ).toEqual([]);
});

function world(options: Parameters<typeof nativeWorld>[0] = {}) {
  const created = nativeWorld(options);
  fakes.push(created.fake);
  return created;
}

const writes = (fake: FakeNativeEcs) => sentRequests(fake.stub).filter((r) => WRITES.has(r.operation));

const IN_FLIGHT = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED'];

async function atCanary(options: Parameters<typeof nativeWorld>[0] = {}) {
  const created = world(options);
  const revision = await created.platform.prepare(ARTIFACT);
  await created.platform.shift(revision, 10);
  return { ...created, revision };
}

describe('a canary step by step: Tollgate continues each pause', () => {
  it('shift starts the deployment with the pause hook and ECS bake 0, and returns once the canary has its weight', async () => {
    const { platform, fake, clock } = world();
    const revision = await platform.prepare(ARTIFACT);
    const startedAt = clock.now();
    await platform.shift(revision, 10);
    const configuration = {
      ...CANARY_10,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 },
      lifecycleHooks: [PAUSE_HOOK],
    };
    expect(writes(fake).slice(1)).toEqual([
      {
        operation: 'UpdateService',
        input: { ...SERVICE, taskDefinition: V2.ref, deploymentConfiguration: configuration },
      },
      {
        operation: 'ContinueServiceDeployment',
        input: {
          serviceDeploymentArn: DEPLOYMENT,
          hookId: 'ecs-pause-xxxxxxxxxxxxxxxxxxxxx1-1',
          action: 'CONTINUE',
        },
      },
    ]);
    // Ranges from the ECS API reference: DeploymentLifecycleHookTimeoutConfiguration.timeoutInMinutes
    // 1..20160; CanaryConfiguration.canaryBakeTimeInMinutes 0..1440, canaryPercent a multiple of 0.1 in 0.1..100.
    expect(PAUSE_HOOK.timeoutConfiguration.timeoutInMinutes).toBeGreaterThanOrEqual(1);
    expect(PAUSE_HOOK.timeoutConfiguration.timeoutInMinutes).toBeLessThanOrEqual(20_160);
    // Two minutes of scale-up to the first pause, then the 10-second shift, seen at the next 5-second poll.
    expect(clock.now() - startedAt).toBe(2 * MINUTE + 10_000);
    expect(await platform.current()).toEqual({
      stable: V1,
      canary: V2,
      canaryWeight: 10,
      deployment: { id: DEPLOYMENT, revision: V2, state: 'running', stepIndex: 0 },
    });
    expect(fake.history.map((change) => [change.stable, change.canary, change.weight])).toEqual([
      ['1.0.0', undefined, 0],
      ['1.0.0', '2.0.0', 10],
    ]);
  });

  it('holds the canary while paused, until the hook times out and ECS rolls back by itself', async () => {
    const { platform, clock } = await atCanary();
    const held = await platform.current();
    clock.advance(23 * 60 * MINUTE);
    expect(await platform.current()).toEqual(held);
    // The pause began when the canary reached 10%; 24 h later (+ the 5-second shift back) ECS has rolled back.
    clock.advance(60 * MINUTE + 10_000);
    expect(await platform.current()).toEqual({
      stable: V1,
      canaryWeight: 0,
      deployment: {
        id: DEPLOYMENT,
        revision: V2,
        state: 'stopped',
        stepIndex: -1,
        reason: 'The PAUSE lifecycle hook timed out.',
      },
    });
  });

  it('promote continues past the last pause and returns when all production traffic is on the new revision', async () => {
    const { platform, fake, clock, revision } = await atCanary();
    await platform.promote(revision);
    expect(writes(fake).at(-1)).toEqual({
      operation: 'ContinueServiceDeployment',
      input: {
        serviceDeploymentArn: DEPLOYMENT,
        hookId: 'ecs-pause-xxxxxxxxxxxxxxxxxxxxx1-2',
        action: 'CONTINUE',
      },
    });
    // ECS bakes (bakeTimeInMinutes) and cleans up after this, with all traffic on the new revision.
    expect(await platform.current()).toEqual({
      stable: V2,
      canaryWeight: 0,
      deployment: { id: DEPLOYMENT, revision: V2, state: 'succeeded', stepIndex: 1 },
    });
    clock.advance(6 * MINUTE);
    expect(await platform.current()).toEqual({ stable: V2, canaryWeight: 0 });
    expect(fake.serviceTaskDefinition()).toBe(V2.ref);
    await platform.promote(revision);
    expect(writes(fake)).toHaveLength(4);
  });

  it('refuses a weight the service does not shift, or one beyond the next step, before anything moves', async () => {
    const canary = world();
    const revision = await canary.platform.prepare(ARTIFACT);
    await expect(canary.platform.shift(revision, 20)).rejects.toThrow(
      "ECS service shop-production-auth in cluster shop-production shifts 10%, 100% (CANARY 10%); it cannot shift 20%. Make the policy's steps those of the service's deployment configuration",
    );
    await expect(canary.platform.shift(revision, 0.05)).rejects.toThrow(RangeError);
    expect(writes(canary.fake).map((r) => r.operation)).toEqual(['RegisterTaskDefinition']);

    const linear = world({ configuration: LINEAR_30 });
    const next = await linear.platform.prepare(ARTIFACT);
    await linear.platform.shift(next, 30);
    await expect(linear.platform.shift(next, 90)).rejects.toThrow(
      'ECS service shop-production-auth in cluster shop-production is at 30%; its next step is 60%, not 90%',
    );
    expect((await linear.platform.current()).canaryWeight).toBe(30);
  });

  it('a linear release continues exactly one pause per shift', async () => {
    const { platform, fake } = world({ configuration: LINEAR_30 });
    const revision = await platform.prepare(ARTIFACT);
    for (const weight of [30, 60, 90]) await platform.shift(revision, weight);
    await platform.promote(revision);
    expect(writes(fake).filter((r) => r.operation === 'ContinueServiceDeployment')).toHaveLength(4);
    expect(fake.history.map((change) => change.weight)).toEqual([0, 30, 60, 90, 0]);
    expect(fake.history.at(-1)?.stable).toBe('2.0.0');
  });
});

describe('rolling back', () => {
  it('at a pause, answers it with ROLLBACK and returns once production traffic is back on stable', async () => {
    const { platform, fake, clock } = await atCanary();
    await platform.rollback();
    expect(writes(fake).at(-1)).toEqual({
      operation: 'ContinueServiceDeployment',
      input: {
        serviceDeploymentArn: DEPLOYMENT,
        hookId: 'ecs-pause-xxxxxxxxxxxxxxxxxxxxx1-2',
        action: 'ROLLBACK',
      },
    });
    expect(await platform.current()).toMatchObject({
      stable: V1,
      canaryWeight: 0,
      deployment: { state: 'stopped' },
    });
    clock.advance(2 * MINUTE);
    expect(await platform.current()).toEqual({ stable: V1, canaryWeight: 0 });
    expect(fake.serviceTaskDefinition()).toBe(V1.ref);
  });

  it('not at a pause (still scaling up), stops the deployment with ROLLBACK', async () => {
    const created = world();
    const revision = await created.platform.prepare(ARTIFACT);
    const impatient = new EcsNativePlatform({
      workload: 'auth',
      target: AUTH,
      capabilities: NATIVE,
      client: created.fake.client,
      clock: created.clock,
      pollMs: 5_000,
      maxWaitMs: 30_000,
    });
    await expect(impatient.shift(revision, 10)).rejects.toThrow(
      `10% of ECS service shop-production-auth in cluster shop-production on 2.0.0 did not happen within 30s: deployment ${DEPLOYMENT} is IN_PROGRESS at SCALE_UP, 0% of production traffic on its target`,
    );
    await created.platform.rollback();
    expect(writes(created.fake).at(-1)).toEqual({
      operation: 'StopServiceDeployment',
      input: { serviceDeploymentArn: DEPLOYMENT, stopType: 'ROLLBACK' },
    });
    expect(await created.platform.current()).toMatchObject({ stable: V1, canaryWeight: 0 });
  });

  it('to a revision after the deployment finished, deploys it again and continues each of its pauses', async () => {
    const { platform, fake, clock, revision } = await atCanary();
    await platform.promote(revision);
    clock.advance(10 * MINUTE);
    await platform.rollback(V1);
    expect(
      writes(fake)
        .slice(4)
        .map((r) => [r.operation, (r.input as { taskDefinition?: string }).taskDefinition]),
    ).toEqual([
      ['UpdateService', V1.ref],
      ['ContinueServiceDeployment', undefined],
      ['ContinueServiceDeployment', undefined],
    ]);
    expect((await platform.current()).stable).toEqual(V1);
  });
});

describe('reconcile after a crash', () => {
  it('a new instance finds the deployment in flight by its status and carries the release on', async () => {
    const { fake, open, revision } = await atCanary();
    const revived = open();
    const before = sentRequests(fake.stub).length;
    expect(await revived.current()).toMatchObject({ stable: V1, canary: V2, canaryWeight: 10 });
    expect(sentRequests(fake.stub)[before + 1]).toEqual({
      operation: 'ListServiceDeployments',
      input: { ...SERVICE, status: IN_FLIGHT },
    });
    await revived.shift(revision, 10);
    await revived.promote(revision);
    expect((await revived.current()).stable).toEqual(V2);
    expect(writes(fake).filter((r) => r.operation === 'UpdateService')).toHaveLength(1);
  });
});
