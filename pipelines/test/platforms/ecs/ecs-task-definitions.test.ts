import { afterEach, describe, expect, it } from 'vitest';
import { NATIVE_PERMISSIONS } from '../../../src/platforms/ecs/permissions';
import { expectValidRequests, sentRequests } from '../../aws/validated-mock';
import { ECS_SDK } from './ecs-model';
import type { FakeNativeEcs } from './fake-native-ecs';
import { EXECUTION_ROLE, liveRegistration, TASK_ROLE } from './fake-task-definitions';
import { AUTH, imageOf, nativeWorld } from './native-world';

/** prepare of the ECS adapters (both stage through TaskDefinitions), over the ECS-native fake. */

const FAMILY = 'arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-production-auth';
const V1 = { version: '1.0.0', ref: `${FAMILY}:1` };
const V2 = { version: '2.0.0', ref: `${FAMILY}:2` };
const SERVICE = { cluster: 'shop-production', service: 'shop-production-auth' };
const IN_FLIGHT = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED'];
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

const writes = (fake: FakeNativeEcs) =>
  sentRequests(fake.stub).filter((request) => request.operation === 'RegisterTaskDefinition');

describe('prepare: the release revision', () => {
  it('is registered from the live one with only the image and RELEASE_VERSION changed, its tags kept', async () => {
    const { platform, fake } = world();
    expect(await platform.prepare(ARTIFACT)).toEqual(V2);
    const live = liveRegistration(AUTH.taskFamily, 'auth', fake.liveImage, '1.0.0');
    const [app, sidecar] = live.containerDefinitions ?? [];
    expect(sentRequests(fake.stub)).toEqual([
      {
        operation: 'DescribeServices',
        input: { cluster: 'shop-production', services: ['shop-production-auth'] },
      },
      { operation: 'ListServiceDeployments', input: { ...SERVICE, status: IN_FLIGHT } },
      { operation: 'DescribeTaskDefinition', input: { taskDefinition: V1.ref, include: ['TAGS'] } },
      {
        operation: 'ListTaskDefinitions',
        input: { familyPrefix: 'shop-production-auth', status: 'ACTIVE', sort: 'DESC', maxResults: 10 },
      },
      {
        operation: 'RegisterTaskDefinition',
        input: {
          family: 'shop-production-auth',
          taskRoleArn: TASK_ROLE,
          executionRoleArn: EXECUTION_ROLE,
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu: '512',
          memory: '1024',
          runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
          containerDefinitions: [
            {
              ...app,
              image: imageOf('2.0.0'),
              environment: [
                { name: 'PORT', value: '8080' },
                { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://localhost:4318' },
                { name: 'RELEASE_VERSION', value: '2.0.0' },
              ],
            },
            sidecar,
          ],
          // The stack's aws:cloudformation tag is AWS's own: RegisterTaskDefinition refuses aws: keys.
          tags: [
            { key: 'team', value: 'identity' },
            { key: 'tollgate:release', value: '2.0.0' },
          ],
        },
      },
    ]);
    expect(await platform.current()).toEqual({ stable: V1, canaryWeight: 0 });
  });

  it('finds the revision a crashed run registered instead of registering another', async () => {
    const { platform, open, fake } = world();
    await platform.prepare(ARTIFACT);
    expect(await open().prepare(ARTIFACT)).toEqual(V2);
    expect(writes(fake).map((r) => r.operation)).toEqual(['RegisterTaskDefinition']);
  });

  it('returns the stable revision for the stable version, without a registration', async () => {
    const { platform, fake } = world();
    expect(await platform.prepare({ version: '1.0.0' })).toEqual(V1);
    expect(writes(fake)).toEqual([]);
  });

  it('refuses another image under a version that has one, an artifact that is no image, and no image at all', async () => {
    const { platform, fake } = world();
    await platform.prepare(ARTIFACT);
    await expect(
      platform.prepare({ version: '2.0.0', source: { kind: 'image', uri: imageOf('9.9.9') } }),
    ).rejects.toThrow(
      `task definition ${V2.ref} already serves release 2.0.0 with image ${imageOf('2.0.0')}, not ${imageOf('9.9.9')}; release the new image under a new version`,
    );
    await expect(
      platform.prepare({ version: '3.0.0', source: { kind: 'zip', path: 'x.zip' } }),
    ).rejects.toThrow('ECS runs container images; release 3.0.0 has a zip artifact, give it an image URI');
    await expect(platform.prepare({ version: '3.0.0' })).rejects.toThrow(
      'no task definition of shop-production-auth serves release 3.0.0, and the artifact names no image to register one from; give the release an image artifact',
    );
    expect(writes(fake).map((r) => r.operation)).toEqual(['RegisterTaskDefinition']);
  });
});
