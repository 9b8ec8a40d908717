import {
  DescribeServiceCommand,
  ListOperationsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-apprunner';
import type { AppRunnerPlatform } from '@tollgate/pipelines/platforms/apprunner/apprunner-platform';
import type { DeploymentStatus } from '@tollgate/pipelines/platforms/port';
import { afterEach, describe, expect, it } from 'vitest';
import { appRunnerServiceId } from '../../../src/services/apprunner/service-record';
import { versionsServed } from '../eks/local-eks';
import { type LocalAppRunner, localAppRunner, TARGET } from './local-apprunner';

const REPOSITORY = TARGET.imageRepository as string;
const SERVICE_ID = appRunnerServiceId(TARGET.account, TARGET.region, TARGET.serviceName);
const ARN = `arn:aws:apprunner:eu-west-1:222222222222:service/${TARGET.serviceName}/${SERVICE_ID}`;

let world: LocalAppRunner | undefined;
afterEach(async () => {
  expect(world?.problems).toEqual([]);
  await world?.close();
  world = undefined;
});

/** Reads the platform until its deployment is no longer running (bounded by 200 reads). */
async function settled(
  platform: AppRunnerPlatform,
  clock: LocalAppRunner['clock'],
): Promise<DeploymentStatus | undefined> {
  for (let read = 0; read < 200; read += 1) {
    const { deployment } = await platform.current();
    if (deployment?.state !== 'running') return deployment;
    await clock.sleep(5_000);
  }
  throw new Error('the App Runner update did not end');
}

describe('the App Runner adapter releasing product-search on the local App Runner', () => {
  it('serves 1.0.0 from the provisioned service', async () => {
    world = await localAppRunner();
    expect(await world.platform().current()).toEqual({
      stable: { version: '1.0.0', ref: `${REPOSITORY}:1.0.0` },
      canaryWeight: 0,
    });
    const { Service } = await world.client.send(new DescribeServiceCommand({ ServiceArn: ARN }));
    expect(Service?.Status).toBe('RUNNING');
    expect(`http://${Service?.ServiceUrl}`).toBe(
      world.service.entryPoint('product-search', 'production').url,
    );
  });

  it('replaces the service in place: the operation runs on cloud time, then the new version serves alone', async () => {
    world = await localAppRunner();
    const platform = world.platform();
    const revision = { version: '2.0.0', ref: `${REPOSITORY}:2.0.0` };
    const started = world.clock.now();
    const startedReal = Date.now();
    const deployment = await platform.start(revision, []);
    expect(deployment.state).toBe('running');

    const during = await world.client.send(new DescribeServiceCommand({ ServiceArn: ARN }));
    expect(during.Service?.Status).toBe('OPERATION_IN_PROGRESS');
    const entry = world.service.entryPoint('product-search', 'production').url;
    expect(await versionsServed(entry, 5)).toEqual({ '1.0.0': 5 });
    const refused = await world.client.send(new UpdateServiceCommand({ ServiceArn: ARN })).then(
      () => undefined,
      (error: Error) => error.name,
    );
    expect(refused).toBe('InvalidStateException');

    const ended = await settled(platform, world.clock);
    const tookMs = world.clock.now() - started;
    expect(ended).toEqual({ id: deployment.id, revision, state: 'succeeded', stepIndex: 0 });
    expect(tookMs).toBeGreaterThanOrEqual(90_000);
    await platform.promote(revision);
    expect((await platform.current()).stable).toEqual(revision);
    expect(await versionsServed(entry, 5)).toEqual({ '2.0.0': 5 });
    const instances = world.runtime.running().filter((c) => c.spec.logGroup.includes(TARGET.serviceName));
    expect(instances.map((c) => `${c.version} ${c.spec.image}`)).toEqual([`2.0.0 ${REPOSITORY}:2.0.0`]);
    const { OperationSummaryList } = await world.client.send(new ListOperationsCommand({ ServiceArn: ARN }));
    expect(OperationSummaryList?.map((o) => [o.Type, o.Status])).toEqual([
      ['UPDATE_SERVICE', 'SUCCEEDED'],
      ['CREATE_SERVICE', 'SUCCEEDED'],
    ]);
    console.info(
      `App Runner update (scale 200): ${tookMs / 1000} s cloud, ${Date.now() - startedReal} ms real`,
    );
  });

  it('rolls a version that fails its health check back, and the old one keeps serving', async () => {
    world = await localAppRunner();
    world.faults.versions.push({ workload: 'product-search', version: '3.0.0', crashOnStart: true });
    const platform = world.platform();
    const revision = { version: '3.0.0', ref: `${REPOSITORY}:3.0.0` };
    await platform.start(revision, []);
    const failing = await settled(platform, world.clock);
    expect(failing).toMatchObject({
      revision,
      state: 'failed',
      reason: 'App Runner is rolling the update back',
    });
    let ended = failing;
    for (let read = 0; read < 200 && ended?.reason === failing?.reason; read += 1) {
      await world.clock.sleep(5_000);
      ended = (await platform.current()).deployment;
    }
    expect(ended).toMatchObject({
      revision,
      state: 'failed',
      reason: 'App Runner rolled the update back (the new instances did not become healthy)',
    });
    const state = await platform.current();
    expect(state.stable).toEqual({ version: '1.0.0', ref: `${REPOSITORY}:1.0.0` });
    const entry = world.service.entryPoint('product-search', 'production').url;
    expect(await versionsServed(entry, 5)).toEqual({ '1.0.0': 5 });
    const { OperationSummaryList } = await world.client.send(new ListOperationsCommand({ ServiceArn: ARN }));
    expect(OperationSummaryList?.[0]).toMatchObject({
      Type: 'UPDATE_SERVICE',
      Status: 'ROLLBACK_SUCCEEDED',
      TargetArn: ARN,
    });
    expect(OperationSummaryList?.[0]?.EndedAt).toBeInstanceOf(Date);
    // The adapter's own rollback finds nothing to undo: the old image is what runs.
    await platform.rollback({ version: '1.0.0', ref: `${REPOSITORY}:1.0.0` });
    expect(world.calls.filter((c) => c === 'UpdateService')).toHaveLength(1);
  });

  it('vends AWS/AppRunner request metrics with the ServiceName and ServiceID the alarms use', async () => {
    world = await localAppRunner();
    await versionsServed(world.service.entryPoint('product-search', 'production').url, 3);
    const requests = world.metrics.filter((m) => m.name === 'Requests');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({
      namespace: 'AWS/AppRunner',
      dimensions: { ServiceName: 'securecart-production-product-search', ServiceID: SERVICE_ID },
      value: 1,
    });
    expect(world.metrics.filter((m) => m.name === '2xxStatusResponses')).toHaveLength(3);
  });
});
