import { createHash } from 'node:crypto';
import { CodeDeployServiceException } from '@aws-sdk/client-codedeploy';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src/aws/aws-error';
import { CODEDEPLOY_PERMISSIONS } from '../../../src/platforms/ecs/permissions';
import { UnknownWorkloadError } from '../../../src/platforms/port';
import { expectValidRequests, sentRequests } from '../../aws/validated-mock';
import { codeDeployWorld } from './codedeploy-world';
import { CODEDEPLOY_SDK, ECS_SDK } from './ecs-model';
import type { FakeCodeDeploy } from './fake-codedeploy';
import { imageOf } from './native-world';

const MINUTE = 60_000;
const FAMILY = 'arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-production-checkout';
const V1 = { version: '1.0.0', ref: `${FAMILY}:1` };
const V2 = { version: '2.0.0', ref: `${FAMILY}:2` };
const GROUP = {
  applicationName: 'shop-production-checkout',
  deploymentGroupName: 'shop-production-checkout',
};
const ARTIFACT = { version: '2.0.0', source: { kind: 'image' as const, uri: imageOf('2.0.0') } };
const CANARY_STEPS = [
  { weight: 10, bakeMs: 5 * MINUTE },
  { weight: 100, bakeMs: 0 },
];
const CODEDEPLOY_WRITES = new Set(['CreateDeployment', 'StopDeployment', 'CreateDeploymentConfig']);

const fakes: FakeCodeDeploy[] = [];
const sent = new Set<string>();
afterEach(() => {
  for (const fake of fakes.splice(0)) {
    expectValidRequests(fake.ecsStub, ECS_SDK);
    expectValidRequests(fake.codeDeployStub, CODEDEPLOY_SDK);
    for (const request of sentRequests(fake.ecsStub)) sent.add(`ecs:${request.operation}`);
    for (const request of sentRequests(fake.codeDeployStub)) sent.add(`codedeploy:${request.operation}`);
  }
});
afterAll(() => {
  const listed = new Set(CODEDEPLOY_PERMISSIONS.map((permission) => permission.action));
  expect(
    [...sent].filter((action) => !listed.has(action)),
    'sent but not in CODEDEPLOY_PERMISSIONS',
  ).toEqual([]);
  const called = CODEDEPLOY_PERMISSIONS.filter((permission) => !permission.checkedOn).map((p) => p.action);
  expect(
    called.filter((action) => !sent.has(action)),
    'listed, never sent',
  ).toEqual([]);
});

function world(options: Parameters<typeof codeDeployWorld>[0] = {}) {
  const created = codeDeployWorld(options);
  fakes.push(created.fake);
  return created;
}

const codeDeployWrites = (fake: FakeCodeDeploy) =>
  sentRequests(fake.codeDeployStub).filter((request) => CODEDEPLOY_WRITES.has(request.operation));

function appSpecOf(taskDefinition: string) {
  const content = JSON.stringify({
    version: 0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinition,
            LoadBalancerInfo: { ContainerName: 'checkout', ContainerPort: 8080 },
          },
        },
      },
    ],
  });
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { revisionType: 'AppSpecContent', appSpecContent: { content, sha256 } };
}

describe('a release CodeDeploy runs (ECSCanary10Percent5Minutes)', () => {
  it('creates one deployment with the ECS AppSpec and the named configuration, then reports it step by step', async () => {
    const { platform, fake, clock } = world({ timing: { installMs: 90_000 } });
    const revision = await platform.prepare(ARTIFACT);
    expect(revision).toEqual(V2);
    const status = await platform.start(revision, CANARY_STEPS);
    expect(codeDeployWrites(fake)).toEqual([
      {
        operation: 'CreateDeployment',
        input: {
          ...GROUP,
          deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
          description: 'Tollgate release 2.0.0',
          revision: appSpecOf(V2.ref),
        },
      },
    ]);
    // Installing the green task set: nothing has shifted, and CodeDeploy's schedule has not started.
    expect(status).toEqual({ id: 'd-AAAAAAAA1', revision: V2, state: 'running', stepIndex: -1 });
    expect(await platform.current()).toEqual({ stable: V1, canaryWeight: 0, deployment: status });

    clock.advance(90_000);
    const shiftedAt = clock.now();
    expect(await platform.current()).toEqual({
      stable: V1,
      canary: V2,
      canaryWeight: 10,
      deployment: { ...status, stepIndex: 0, nextShiftAt: shiftedAt + 5 * MINUTE },
    });

    clock.advance(5 * MINUTE);
    // All traffic on green; CodeDeploy keeps blue for the termination wait ("Baking"): the release is done.
    const done = { stable: V2, canaryWeight: 0, deployment: { ...status, state: 'succeeded', stepIndex: 1 } };
    expect(await platform.current()).toEqual(done);
    await platform.promote(revision);
    clock.advance(5 * MINUTE);
    expect(await platform.current()).toEqual(done);
    expect(fake.runningTaskSets().map((set) => [set.taskDefinition, set.status])).toEqual([
      [V2.ref, 'PRIMARY'],
    ]);
  });

  it('creates a time-based configuration for a shape no predefined one has, once', async () => {
    const strategy = { shape: { kind: 'linear' as const, weight: 30, bakeMs: 5 * MINUTE } };
    const { platform, fake } = world({ strategy });
    await platform.start(await platform.prepare(ARTIFACT), []);
    expect(codeDeployWrites(fake).map((r) => [r.operation, r.input])).toEqual([
      [
        'CreateDeploymentConfig',
        {
          deploymentConfigName: 'Tollgate.ECSLinear30PercentEvery5Minutes',
          computePlatform: 'ECS',
          trafficRoutingConfig: {
            type: 'TimeBasedLinear',
            timeBasedLinear: { linearPercentage: 30, linearInterval: 5 },
          },
        },
      ],
      [
        'CreateDeployment',
        {
          ...GROUP,
          deploymentConfigName: 'Tollgate.ECSLinear30PercentEvery5Minutes',
          description: 'Tollgate release 2.0.0',
          revision: appSpecOf(V2.ref),
        },
      ],
    ]);
  });

  it('promote is refused while CodeDeploy still shifts, and start of another revision too', async () => {
    const { platform, fake } = world({ prebuilt: ['3.0.0'] });
    const revision = await platform.prepare(ARTIFACT);
    await platform.start(revision, CANARY_STEPS);
    await expect(platform.promote(revision)).rejects.toThrow(
      'CodeDeploy deployment d-AAAAAAAA1 of 2.0.0 is still shifting traffic on CodeDeploy deployment group shop-production-checkout; it makes the revision stable when its schedule ends',
    );
    const other = await platform.prepare({ version: '3.0.0' });
    await expect(platform.start(other, CANARY_STEPS)).rejects.toThrow(
      'CodeDeploy deployment d-AAAAAAAA1 of 2.0.0 is in flight on CodeDeploy deployment group shop-production-checkout; roll it back before releasing 3.0.0',
    );
    expect(codeDeployWrites(fake)).toHaveLength(1);
  });
});

describe('rolling back', () => {
  it('stops the deployment with CodeDeploy rollback; current() then shows it stopped and blue serving', async () => {
    const { platform, fake, clock } = world();
    const revision = await platform.prepare(ARTIFACT);
    await platform.start(revision, CANARY_STEPS);
    clock.advance(2 * MINUTE);
    await platform.rollback();
    expect(codeDeployWrites(fake)).toEqual([
      expect.objectContaining({ operation: 'CreateDeployment' }),
      { operation: 'StopDeployment', input: { deploymentId: 'd-AAAAAAAA1', autoRollbackEnabled: true } },
    ]);
    expect(await platform.current()).toEqual({
      stable: V1,
      canaryWeight: 0,
      deployment: {
        id: 'd-AAAAAAAA1',
        revision: V2,
        state: 'stopped',
        stepIndex: 0,
        reason: 'MANUAL_STOP: The deployment was stopped by a user.',
      },
    });
    expect(fake.runningTaskSets().map((set) => set.taskDefinition)).toEqual([V1.ref]);
  });

  it('to the old revision after the deployment succeeded, deploys it again all at once', async () => {
    const { platform, fake, clock } = world();
    const revision = await platform.prepare(ARTIFACT);
    await platform.start(revision, CANARY_STEPS);
    clock.advance(11 * MINUTE);
    await platform.rollback(V1);
    expect(codeDeployWrites(fake).at(-1)).toEqual({
      operation: 'CreateDeployment',
      input: {
        ...GROUP,
        deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
        description: 'Tollgate rollback to 1.0.0',
        revision: appSpecOf(V1.ref),
      },
    });
    expect((await platform.current()).stable).toEqual(V1);
  });
});

describe('reconcile after a crash', () => {
  it('a new instance finds the deployment in flight and start returns it instead of creating another', async () => {
    const { platform, fake, open } = world();
    const revision = await platform.prepare(ARTIFACT);
    const status = await platform.start(revision, CANARY_STEPS);
    const revived = open();
    expect(await revived.start(revision, CANARY_STEPS)).toEqual(status);
    expect(
      sentRequests(fake.codeDeployStub)
        .filter((r) => r.operation === 'ListDeployments')
        .at(-1),
    ).toEqual({
      operation: 'ListDeployments',
      input: { ...GROUP, includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] },
    });
    expect(codeDeployWrites(fake)).toHaveLength(1);
  });
});

describe('when AWS refuses', () => {
  it('a throttled CreateDeployment says what it was doing and starts nothing', async () => {
    const { platform, fake } = world();
    const revision = await platform.prepare(ARTIFACT);
    fake.refusals.refuseNext(['CreateDeployment']);
    const error = await platform.start(revision, CANARY_STEPS).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      kind: 'throttled',
      message:
        'could not start a CodeDeploy deployment of shop-production-checkout: ThrottlingException: Rate exceeded',
    });
    expect((await platform.current()).deployment).toBeUndefined();
  });

  it('access denied to StopDeployment fails the rollback, saying so', async () => {
    const { platform, fake } = world();
    await platform.start(await platform.prepare(ARTIFACT), CANARY_STEPS);
    // CodeDeploy's model has no AccessDeniedException shape: it arrives as the service's generic exception.
    const denied = new CodeDeployServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'not authorized to perform codedeploy:StopDeployment',
    });
    fake.refusals.refuseNext(['StopDeployment'], denied);
    await expect(platform.rollback()).rejects.toMatchObject({
      kind: 'access-denied',
      message:
        'could not stop CodeDeploy deployment d-AAAAAAAA1: AccessDeniedException: not authorized to perform codedeploy:StopDeployment',
    });
    expect((await platform.current()).canaryWeight).toBe(10);
  });

  it('a missing service or deployment group is UnknownWorkloadError', async () => {
    await expect(world({ missing: 'service' }).platform.current()).rejects.toThrow(
      new UnknownWorkloadError('checkout', 'ECS service shop-production-checkout in cluster shop-production'),
    );
    await expect(world({ missing: 'group' }).platform.current()).rejects.toThrow(
      new UnknownWorkloadError(
        'checkout',
        'CodeDeploy deployment group shop-production-checkout of application shop-production-checkout',
      ),
    );
  });
});

describe('a deployment that fails by itself', () => {
  it('CodeDeploy rolls back on an alarm: current() reports it failed, with CodeDeploy reason, and blue serving', async () => {
    const { platform, fake, clock } = world();
    const revision = await platform.prepare(ARTIFACT);
    await platform.start(revision, CANARY_STEPS);
    clock.advance(MINUTE);
    fake
      .active()
      ?.stop('Failed', { code: 'ALARM_ACTIVE', message: 'One or more alarms have been activated.' });
    expect(await platform.current()).toEqual({
      stable: V1,
      canaryWeight: 0,
      deployment: {
        id: 'd-AAAAAAAA1',
        revision: V2,
        state: 'failed',
        stepIndex: 0,
        reason: 'ALARM_ACTIVE: One or more alarms have been activated.',
      },
    });
    await expect(platform.promote(revision)).rejects.toThrow(
      'cannot confirm 2.0.0 as stable on ECS service shop-production-checkout in cluster shop-production: 1.0.0 is; its last deployment d-AAAAAAAA1 ended Failed: ALARM_ACTIVE: One or more alarms have been activated.',
    );
  });
});
