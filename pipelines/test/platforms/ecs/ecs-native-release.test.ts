import { afterEach, describe, expect, it } from 'vitest';
import { expectValidRequests, sentRequests } from '../../aws/validated-mock';
import { unjudgedAdvances } from '../../scenarios/invariant';
import { ECS_SDK } from './ecs-model';
import type { FakeNativeEcs } from './fake-native-ecs';
import { CANARY_10, imageOf, nativeWorld } from './native-world';
import { eventTypes, firstSeen, policyEnvironment, releaseOver, SLOW, STABLE } from './release-harness';

const MINUTE = 60_000;
const FAMILY = 'arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-production-auth';
const DEPLOYMENT =
  'arn:aws:ecs:eu-west-1:222222222222:service-deployment/shop-production/shop-production-auth/xxxxxxxxxxxxxxxxxxxxx1';
const WRITES = new Set([
  'RegisterTaskDefinition',
  'UpdateService',
  'ContinueServiceDeployment',
  'StopServiceDeployment',
]);

const fakes: FakeNativeEcs[] = [];
afterEach(() => {
  for (const fake of fakes.splice(0)) expectValidRequests(fake.stub, ECS_SDK);
});

async function release(canary: typeof STABLE) {
  const world = nativeWorld({ configuration: CANARY_10 });
  fakes.push(world.fake);
  const environment = policyEnvironment('auth', '{ canary: { weight: 10, bake: 5m } }');
  const { result, events } = await releaseOver({
    workload: 'auth',
    environment,
    platform: world.platform,
    clock: world.clock,
    shareAt: (version, at) => world.fake.shareAt(version, at),
    canary,
    artifact: { kind: 'image', uri: imageOf('2.0.0') },
  });
  // RegisterTaskDefinition's whole input is checked in ecs-native-platform.test.ts; here, its family.
  const writes = sentRequests(world.fake.stub)
    .filter((request) => WRITES.has(request.operation))
    .map(({ operation, input }) =>
      operation === 'RegisterTaskDefinition'
        ? { operation, family: (input as { family: string }).family }
        : { operation, input },
    );
  return { world, result, events, writes };
}

const REGISTERED = { operation: 'RegisterTaskDefinition', family: 'shop-production-auth' };
const UPDATED = {
  operation: 'UpdateService',
  input: {
    cluster: 'shop-production',
    service: 'shop-production-auth',
    taskDefinition: `${FAMILY}:2`,
    deploymentConfiguration: {
      ...CANARY_10,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 },
      lifecycleHooks: [
        {
          targetType: 'PAUSE',
          lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
          timeoutConfiguration: { timeoutInMinutes: 1440, action: 'ROLLBACK' },
        },
      ],
    },
  },
};
const answer = (pause: number, action: 'CONTINUE' | 'ROLLBACK') => ({
  operation: 'ContinueServiceDeployment',
  input: { serviceDeploymentArn: DEPLOYMENT, hookId: `ecs-pause-xxxxxxxxxxxxxxxxxxxxx1-${pause}`, action },
});

describe('a release of auth over ECS-native canary deployments (10%, bake 5 min)', () => {
  it('healthy: the engine continues the canary pause, bakes, continues the last pause, and 2.0.0 serves everything', async () => {
    const { world, result, events, writes } = await release(STABLE);
    const { record } = result;
    expect(record.outcome).toBe('promoted');
    expect(eventTypes(events)).toEqual(['plan', 'preflight', 'prepare', 'shift', 'step-passed', 'promote']);
    expect(writes).toEqual([REGISTERED, UPDATED, answer(1, 'CONTINUE'), answer(2, 'CONTINUE')]);
    expect(firstSeen(sentRequests(world.fake.stub).map((request) => request.operation))).toEqual([
      'DescribeServices',
      'ListServiceDeployments',
      'DescribeTaskDefinition',
      'ListTaskDefinitions',
      'RegisterTaskDefinition',
      'UpdateService',
      'DescribeServiceDeployments',
      'DescribeServiceRevisions',
      'ContinueServiceDeployment',
    ]);
    expect(unjudgedAdvances(world.fake.history, record)).toEqual([]);
    expect(world.fake.history.map((change) => [change.stable, change.canary, change.weight])).toEqual([
      ['1.0.0', undefined, 0],
      ['1.0.0', '2.0.0', 10],
      ['2.0.0', undefined, 0],
    ]);
    world.clock.advance(10 * MINUTE); // ECS's bake after 100% and its clean-up
    expect(await world.platform.current()).toEqual({
      stable: { version: '2.0.0', ref: `${FAMILY}:2` },
      canaryWeight: 0,
    });
  });

  it('regressing: the latency gate fails the canary, the engine answers the pause with ROLLBACK, 1.0.0 serves everything', async () => {
    const { world, result, writes } = await release(SLOW);
    const { record } = result;
    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('fail');
    expect(writes).toEqual([REGISTERED, UPDATED, answer(1, 'CONTINUE'), answer(2, 'ROLLBACK')]);
    expect(world.fake.history.map((change) => [change.stable, change.canary, change.weight])).toEqual([
      ['1.0.0', undefined, 0],
      ['1.0.0', '2.0.0', 10],
      ['1.0.0', undefined, 0],
    ]);
    world.clock.advance(5 * MINUTE);
    expect(await world.platform.current()).toEqual({
      stable: { version: '1.0.0', ref: `${FAMILY}:1` },
      canaryWeight: 0,
    });
    expect(world.fake.inFlight()).toBeUndefined();
  });
});
