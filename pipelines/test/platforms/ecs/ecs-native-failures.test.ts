import { AccessDeniedException, ClusterNotFoundException } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src/aws/aws-error';
import { NATIVE_PERMISSIONS } from '../../../src/platforms/ecs/permissions';
import { UnknownWorkloadError } from '../../../src/platforms/port';
import { expectValidRequests, sentRequests } from '../../aws/validated-mock';
import { ECS_SDK } from './ecs-model';
import type { FakeNativeEcs } from './fake-native-ecs';
import { imageOf, nativeWorld } from './native-world';

/** EcsNativePlatform when AWS refuses a call, and when a deployment fails for a reason other than a gate. */

const FAMILY = 'arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-production-auth';
const V1 = { version: '1.0.0', ref: `${FAMILY}:1` };
const V2 = { version: '2.0.0', ref: `${FAMILY}:2` };
const DEPLOYMENT =
  'arn:aws:ecs:eu-west-1:222222222222:service-deployment/shop-production/shop-production-auth/xxxxxxxxxxxxxxxxxxxxx1';
const ARTIFACT = { version: '2.0.0', source: { kind: 'image' as const, uri: imageOf('2.0.0') } };

const fakes: FakeNativeEcs[] = [];
afterEach(() => {
  const listed = new Set(NATIVE_PERMISSIONS.map((permission) => permission.action));
  for (const fake of fakes.splice(0)) {
    expectValidRequests(fake.stub, ECS_SDK);
    const unlisted = sentRequests(fake.stub).filter((request) => !listed.has(`ecs:${request.operation}`));
    expect(unlisted, 'sent but not in NATIVE_PERMISSIONS').toEqual([]);
  }
});

function world(options: Parameters<typeof nativeWorld>[0] = {}) {
  const created = nativeWorld(options);
  fakes.push(created.fake);
  return created;
}

async function atCanary() {
  const created = world();
  const revision = await created.platform.prepare(ARTIFACT);
  await created.platform.shift(revision, 10);
  return { ...created, revision };
}

describe('when AWS refuses', () => {
  it('a throttled read says what it was reading', async () => {
    const { platform, fake } = world();
    fake.refusals.refuseNext(['DescribeServices']);
    const error = await platform.current().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      kind: 'throttled',
      message:
        'could not read ECS service shop-production-auth in cluster shop-production: ThrottlingException: Rate exceeded',
    });
  });

  it('access denied to UpdateService moves nothing and says so', async () => {
    const { platform, fake } = world();
    const revision = await platform.prepare(ARTIFACT);
    const denied = new AccessDeniedException({
      message: 'not authorized to perform ecs:UpdateService',
      $metadata: {},
    });
    fake.refusals.refuseNext(['UpdateService'], denied);
    await expect(platform.shift(revision, 10)).rejects.toMatchObject({
      kind: 'access-denied',
      message: `could not update ECS service shop-production-auth in cluster shop-production to ${V2.ref}: AccessDeniedException: not authorized to perform ecs:UpdateService`,
    });
    expect(await platform.current()).toEqual({ stable: V1, canaryWeight: 0 });
  });

  it('a missing service or cluster is UnknownWorkloadError', async () => {
    const missing = world({ exists: false });
    await expect(missing.platform.current()).rejects.toThrow(
      new UnknownWorkloadError('auth', 'ECS service shop-production-auth in cluster shop-production'),
    );
    const { platform, fake } = world();
    fake.refusals.refuseNext(
      ['DescribeServices'],
      new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }),
    );
    await expect(platform.current()).rejects.toBeInstanceOf(UnknownWorkloadError);
  });
});

describe('a deployment that fails by itself', () => {
  it('tasks failing their health checks: the circuit breaker rolls back and shift says why', async () => {
    const { platform, fake } = world();
    const revision = await platform.prepare(ARTIFACT);
    fake.failHealthChecks = true;
    await expect(platform.shift(revision, 10)).rejects.toThrow(
      `ECS is rolling back deployment ${DEPLOYMENT} of 2.0.0 (ROLLBACK_IN_PROGRESS): ECS deployment circuit breaker: tasks failed to start. Rolling back to the source revision.`,
    );
    expect(await platform.current()).toMatchObject({ stable: V1, canaryWeight: 0 });
  });

  it('an alarm during the bake: ECS rolls back, current() shows it and promote refuses', async () => {
    const { platform, fake, revision } = await atCanary();
    fake.inFlight()?.rollBack('Alarm shop-production-auth-5xx in ALARM; rolling back.');
    expect(await platform.current()).toEqual({
      stable: V1,
      canary: V2,
      canaryWeight: 10,
      deployment: {
        id: DEPLOYMENT,
        revision: V2,
        state: 'stopped',
        stepIndex: 0,
        reason: 'Alarm shop-production-auth-5xx in ALARM; rolling back.',
      },
    });
    await expect(platform.promote(revision)).rejects.toThrow(
      'cannot promote 2.0.0 on ECS service shop-production-auth in cluster shop-production: it is neither stable (1.0.0) nor being deployed (2.0.0, ROLLBACK_IN_PROGRESS)',
    );
  });
});
