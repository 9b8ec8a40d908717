import { DescribeServiceCommand } from '@aws-sdk/client-apprunner';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src/aws/aws-error';
import { AppRunnerPlatform } from '../../../src/platforms/apprunner/apprunner-platform';
import { PERMISSIONS } from '../../../src/platforms/apprunner/permissions';
import { UnknownWorkloadError } from '../../../src/platforms/port';
import { releaseMethods } from '../../../src/targets/capabilities';
import type { AppRunnerTarget } from '../../../src/targets/manifest';
import { VirtualClock } from '../../../src/time/clock';
import { expectValidRequests, sentRequests } from '../../aws/validated-mock';
import { TEST_MANIFEST } from '../../fixtures/manifest';
import { FakeAppRunner, SERVICE_ARN, SERVICE_NAME } from './fake-apprunner';

const SDK = '@aws-sdk/client-apprunner';
const MINUTE = 60_000;
const NEW_IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/search@sha256:bbb';
const OLD = { version: '1', ref: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/search@sha256:aaa' };
const NEW = { version: '2', ref: NEW_IMAGE };
const target = TEST_MANIFEST.workloads.search?.environments.production as AppRunnerTarget;
const [capabilities] = releaseMethods(target);

let fakes: FakeAppRunner[] = [];
afterEach(() => {
  for (const fake of fakes) {
    expectValidRequests(fake.stub, SDK);
    fake.stub.restore();
  }
  fakes = [];
});

function setUp(options: { exists?: boolean } = {}) {
  const clock = new VirtualClock(Date.parse('2026-06-01T00:00:00Z'));
  const fake = new FakeAppRunner(() => clock.now(), 4 * MINUTE, options.exists ?? true);
  fakes.push(fake);
  const open = () =>
    new AppRunnerPlatform({
      workload: 'search',
      target,
      capabilities: capabilities ?? (undefined as never),
      client: fake.client,
      sleep: (ms) => clock.sleep(ms),
      pollMs: 30_000,
    });
  return { clock, fake, platform: open(), open };
}

describe('App Runner: a release replaces the service in place', () => {
  it('tags what ran before, updates only the image and release, and reports the update until App Runner finishes', async () => {
    const { clock, fake, platform } = setUp();
    const revision = await platform.prepare({ version: '2', source: { kind: 'image', uri: NEW_IMAGE } });
    expect(revision).toEqual(NEW);
    const status = await platform.start(revision, [{ weight: 100, bakeMs: 0 }]);
    expect(status).toEqual({ id: 'op-1', revision: NEW, state: 'running', stepIndex: -1 });
    expect(await platform.current()).toEqual({ stable: OLD, canaryWeight: 0, deployment: status });

    clock.advance(4 * MINUTE);
    expect(await platform.current()).toEqual({
      stable: NEW,
      canaryWeight: 0,
      deployment: { id: 'op-1', revision: NEW, state: 'succeeded', stepIndex: 0 },
    });
    await platform.promote(NEW);
    const writes = sentRequests(fake.stub).filter((r) =>
      ['TagResource', 'UpdateService'].includes(r.operation),
    );
    expect(writes).toEqual([
      {
        operation: 'TagResource',
        input: {
          ResourceArn: SERVICE_ARN,
          Tags: [
            { Key: 'tollgate:previous-image', Value: OLD.ref },
            { Key: 'tollgate:previous-release', Value: '1' },
          ],
        },
      },
      {
        operation: 'TagResource',
        input: {
          ResourceArn: SERVICE_ARN,
          Tags: [
            { Key: 'tollgate:target-image', Value: NEW_IMAGE },
            { Key: 'tollgate:target-release', Value: '2' },
          ],
        },
      },
      {
        operation: 'UpdateService',
        input: {
          ServiceArn: SERVICE_ARN,
          SourceConfiguration: {
            AutoDeploymentsEnabled: false,
            AuthenticationConfiguration: { AccessRoleArn: 'arn:aws:iam::222222222222:role/search-access' },
            ImageRepository: {
              ImageIdentifier: NEW_IMAGE,
              ImageRepositoryType: 'ECR',
              ImageConfiguration: {
                Port: '8080',
                RuntimeEnvironmentVariables: { PORT: '8080', RELEASE_VERSION: '2' },
              },
            },
          },
        },
      },
    ]);
  });

  it('starting the same revision while it deploys returns the same operation; another is refused', async () => {
    const { platform } = setUp();
    const first = await platform.start(NEW, [{ weight: 100, bakeMs: 0 }]);
    expect(await platform.start(NEW, [{ weight: 100, bakeMs: 0 }])).toEqual(first);
    await expect(
      platform.start({ version: '3', ref: 'img:3' }, [{ weight: 100, bakeMs: 0 }]),
    ).rejects.toThrow(
      `App Runner service ${SERVICE_NAME} is busy with operation op-1; it cannot be stopped, so wait for it to end`,
    );
  });

  it('a run that crashed mid-update is picked up by a new adapter, which knows what ran before', async () => {
    const { open, platform } = setUp();
    await platform.start(NEW, [{ weight: 100, bakeMs: 0 }]);
    const revived = open();
    expect(await revived.current()).toEqual({
      stable: OLD,
      canaryWeight: 0,
      deployment: { id: 'op-1', revision: NEW, state: 'running', stepIndex: -1 },
    });
  });

  it('rolls back by deploying the previous image again, waiting out an update App Runner cannot stop', async () => {
    const { clock, fake, platform } = setUp();
    await platform.start(NEW, [{ weight: 100, bakeMs: 0 }]);
    const startedAt = clock.now();
    await platform.rollback(OLD);
    expect(fake.running()).toEqual({ image: OLD.ref, release: '1' });
    // Four minutes for the update in flight, four for the redeploy, polled every 30 s.
    expect(clock.now() - startedAt).toBe(8 * MINUTE);
    await platform.rollback(OLD);
    expect(sentRequests(fake.stub).filter((r) => r.operation === 'UpdateService')).toHaveLength(2);
  });

  it('reports an update App Runner rolled back by itself as a failed deployment, with why', async () => {
    const { clock, fake, platform } = setUp();
    fake.failNextUpdate = true;
    await platform.start(NEW, [{ weight: 100, bakeMs: 0 }]);
    clock.advance(4 * MINUTE);
    expect((await platform.current()).deployment).toEqual({
      id: 'op-1',
      revision: NEW,
      state: 'failed',
      stepIndex: -1,
      reason: 'App Runner rolled the update back (the new instances did not become healthy)',
    });
    expect((await platform.current()).stable).toEqual(OLD);
  });

  it('refuses an artifact that is not an image, and a service that does not exist is an unknown workload', async () => {
    const { platform } = setUp();
    await expect(platform.prepare({ version: '2', source: { kind: 'zip', path: 'x.zip' } })).rejects.toThrow(
      'App Runner runs container images; search needs an image artifact, got zip',
    );
    await expect(setUp({ exists: false }).platform.current()).rejects.toThrow(UnknownWorkloadError);
  });

  it('says what it was doing when App Runner refuses a call', async () => {
    const { fake, platform } = setUp();
    fake.stub.on(DescribeServiceCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: apprunner:DescribeService'), {
        name: 'AccessDeniedException',
      }),
    );
    const error = await platform.current().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).kind).toBe('access-denied');
    expect((error as Error).message).toBe(
      `could not describe App Runner service ${SERVICE_NAME}: AccessDeniedException: User is not authorized to perform: apprunner:DescribeService`,
    );
  });

  it('sends only the operations its PERMISSIONS list', async () => {
    const { clock, fake, platform } = setUp();
    await platform.start(NEW, [{ weight: 100, bakeMs: 0 }]);
    clock.advance(4 * MINUTE);
    await platform.rollback(OLD);
    const sent = new Set(sentRequests(fake.stub).map((r) => `apprunner:${r.operation}`));
    const listed = new Set(PERMISSIONS.map((p) => p.action));
    expect([...sent].filter((action) => !listed.has(action))).toEqual([]);
  });
});
