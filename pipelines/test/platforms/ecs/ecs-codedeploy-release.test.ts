import { afterEach, describe, expect, it } from 'vitest';
import { appSpecRevision, ecsAppSpec } from '../../../src/platforms/codedeploy/appspec';
import { expectValidRequests, sentRequests } from '../../aws/validated-mock';
import { unjudgedAdvances } from '../../scenarios/invariant';
import { codeDeployWorld } from './codedeploy-world';
import { CODEDEPLOY_SDK, ECS_SDK } from './ecs-model';
import type { FakeCodeDeploy } from './fake-codedeploy';
import { imageOf } from './native-world';
import { eventTypes, firstSeen, policyEnvironment, releaseOver, SLOW, STABLE } from './release-harness';

const MINUTE = 60_000;
const FAMILY = 'arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-production-checkout';
const WRITES = new Set([
  'RegisterTaskDefinition',
  'CreateDeployment',
  'StopDeployment',
  'CreateDeploymentConfig',
]);

const fakes: FakeCodeDeploy[] = [];
afterEach(() => {
  for (const fake of fakes.splice(0)) {
    expectValidRequests(fake.ecsStub, ECS_SDK);
    expectValidRequests(fake.codeDeployStub, CODEDEPLOY_SDK);
  }
});

async function release(canary: typeof STABLE) {
  const environment = policyEnvironment('checkout', 'CodeDeployDefault.ECSCanary10Percent5Minutes');
  // CodeDeploy takes a minute to start the green task set before it shifts anything.
  const world = codeDeployWorld({
    strategy: environment.strategy,
    steps: environment.steps,
    timing: { installMs: MINUTE },
  });
  fakes.push(world.fake);
  const { result, events } = await releaseOver({
    workload: 'checkout',
    environment,
    platform: world.platform,
    clock: world.clock,
    shareAt: (version, at) => world.fake.shareAt(version, at),
    canary,
    artifact: { kind: 'image', uri: imageOf('2.0.0') },
  });
  const sent = inOrder(world.fake);
  // RegisterTaskDefinition's whole input is checked in ecs-native-platform.test.ts; here, its family.
  const writes = sent
    .filter((request) => WRITES.has(request.operation))
    .map(({ operation, input }) =>
      operation === 'RegisterTaskDefinition'
        ? { operation, family: (input as { family: string }).family }
        : { operation, input },
    );
  return { world, result, events, writes, operations: sent.map((request) => request.operation) };
}

/** The requests to ECS and CodeDeploy merged in the order they were sent. */
function inOrder(fake: FakeCodeDeploy): { operation: string; input: unknown }[] {
  const ecsRequests = sentRequests(fake.ecsStub);
  const codeDeployRequests = sentRequests(fake.codeDeployStub);
  const ecs = fake.ecsStub.calls().map((call, index) => ({ call, request: ecsRequests[index] }));
  const codeDeploy = fake.codeDeployStub
    .calls()
    .map((call, index) => ({ call, request: codeDeployRequests[index] }));
  return [...ecs, ...codeDeploy]
    .sort((a, b) => (a.call.calledBefore(b.call) ? -1 : 1))
    .map(({ request }) => ({ operation: request?.operation ?? '', input: request?.input }));
}

const REGISTERED = { operation: 'RegisterTaskDefinition', family: 'shop-production-checkout' };
const CREATED = {
  operation: 'CreateDeployment',
  input: {
    applicationName: 'shop-production-checkout',
    deploymentGroupName: 'shop-production-checkout',
    deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
    description: 'Tollgate release 2.0.0',
    revision: appSpecRevision(
      ecsAppSpec({ taskDefinitionArn: `${FAMILY}:2`, containerName: 'checkout', containerPort: 8080 }),
    ),
  },
};

describe('a release of checkout through CodeDeploy blue/green (ECSCanary10Percent5Minutes)', () => {
  it('healthy: one deployment, judged before CodeDeploy shifts the rest; 2.0.0 serves everything', async () => {
    const { world, result, events, writes, operations } = await release(STABLE);
    const { record } = result;
    expect(record.outcome).toBe('promoted');
    expect(eventTypes(events)).toEqual([
      'plan',
      'preflight',
      'prepare',
      'platform',
      'shift',
      'step-passed',
      'promote',
    ]);
    expect(writes).toEqual([REGISTERED, CREATED]);
    expect(firstSeen(operations)).toEqual([
      'DescribeServices',
      'ListDeployments',
      'GetDeploymentGroup',
      'DescribeTaskDefinition',
      'ListTaskDefinitions',
      'RegisterTaskDefinition',
      'CreateDeployment',
      'GetDeployment',
      'ListDeploymentTargets',
      'GetDeploymentTarget',
    ]);
    expect(unjudgedAdvances(world.fake.history, record)).toEqual([]);
    expect(world.fake.history.map((change) => [change.stable, change.canary, change.weight])).toEqual([
      ['1.0.0', undefined, 0],
      ['1.0.0', '2.0.0', 10],
      ['2.0.0', undefined, 0],
    ]);
    world.clock.advance(10 * MINUTE); // CodeDeploy's termination wait: the blue task set is deleted
    expect(world.fake.runningTaskSets().map((set) => [set.taskDefinition, set.status])).toEqual([
      [`${FAMILY}:2`, 'PRIMARY'],
    ]);
    expect(await world.platform.current()).toMatchObject({
      stable: { version: '2.0.0', ref: `${FAMILY}:2` },
      canaryWeight: 0,
      deployment: { state: 'succeeded' },
    });
  });

  it('regressing: the latency gate fails the canary and the engine stops CodeDeploy with a rollback; 1.0.0 serves everything', async () => {
    const { world, result, writes } = await release(SLOW);
    const { record } = result;
    expect(record.outcome).toBe('rolled-back');
    expect(record.verdict).toBe('fail');
    expect(writes).toEqual([
      REGISTERED,
      CREATED,
      { operation: 'StopDeployment', input: { deploymentId: 'd-AAAAAAAA1', autoRollbackEnabled: true } },
    ]);
    expect(world.fake.history.map((change) => [change.stable, change.canary, change.weight])).toEqual([
      ['1.0.0', undefined, 0],
      ['1.0.0', '2.0.0', 10],
      ['1.0.0', undefined, 0],
    ]);
    expect(world.fake.runningTaskSets().map((set) => [set.taskDefinition, set.status])).toEqual([
      [`${FAMILY}:1`, 'PRIMARY'],
    ]);
    expect(await world.platform.current()).toMatchObject({
      stable: { version: '1.0.0', ref: `${FAMILY}:1` },
      canaryWeight: 0,
      deployment: { state: 'stopped' },
    });
  });
});
