import { readFileSync } from 'node:fs';
import { apiModel } from '@tollgate/aws-api-model/api-model';
import { type EcsTarget, parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyFaultPlan } from '../../../src/faults/fault-plan';
import { startWeightedRouter } from '../../../src/runtime/weighted-router';
import { createEcsService, type EcsService } from '../../../src/services/ecs/ecs-service';
import { provisionEcs } from '../../../src/services/ecs/provision-ecs';
import type { AwsServiceError } from '../../../src/services/service';
import { contextOf, eventually, FakeRuntime, fastClock, recordingRouters } from './local-edge';

const MANIFEST = parseReleaseManifest(
  JSON.parse(readFileSync(new URL('../../../../aws/release-manifest.json', import.meta.url), 'utf8')),
);
const AUTH = MANIFEST.workloads.auth?.environments.staging as EcsTarget;
const model = apiModel('@aws-sdk/client-ecs');
const DOCUMENTED_NOT_IN_SDK = /\.lifecycleStage: "PRE_PRODUCTION_TRAFFIC_SHIFT" is not one of /;

const open: EcsService[] = [];
afterEach(async () => {
  for (const service of open.splice(0)) await service.close();
});

async function world() {
  const clock = fastClock();
  const ecs = createEcsService({ clock, faults: emptyFaultPlan() });
  open.push(ecs);
  const runtime = new FakeRuntime();
  const { routers, made } = recordingRouters(clock);
  await provisionEcs(ecs, MANIFEST, { runtime, routers });
  const call = async (operation: string, input: Record<string, unknown>) => {
    expect(model.inputProblems(operation, input)).toEqual([]);
    const handler = ecs.definition.operations[operation];
    if (!handler) throw new Error(`no ${operation}`);
    const output = await handler(input, contextOf(clock));
    expect(model.outputProblems(operation, output).filter((p) => !DOCUMENTED_NOT_IN_SDK.test(p))).toEqual([]);
    return output as Record<string, unknown>;
  };
  return { clock, ecs, runtime, made, call };
}

describe('the local ECS', () => {
  it('provisions each ECS target as infra/aws declares it', async () => {
    const { call } = await world();
    const { services } = await call('DescribeServices', {
      cluster: AUTH.clusterName,
      services: [AUTH.serviceName],
    });
    const [service] = services as {
      taskDefinition: string;
      deploymentConfiguration: unknown;
      deploymentController: unknown;
    }[];
    expect(service?.taskDefinition).toBe(
      `arn:aws:ecs:eu-west-1:111111111111:task-definition/${AUTH.taskFamily}:1`,
    );
    expect(service?.deploymentController).toEqual({ type: 'ECS' });
    expect(service?.deploymentConfiguration).toMatchObject({
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 },
      lifecycleHooks: [
        {
          targetType: 'PAUSE',
          lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
          timeoutConfiguration: { timeoutInMinutes: 1440, action: 'ROLLBACK' },
        },
      ],
    });
    const { taskDefinition } = await call('DescribeTaskDefinition', { taskDefinition: AUTH.taskFamily });
    expect(taskDefinition).toMatchObject({
      containerDefinitions: [
        {
          name: 'auth',
          image: `${AUTH.imageRepository}:1.0.0`,
          environment: expect.arrayContaining([{ name: 'RELEASE_VERSION', value: '1.0.0' }]),
        },
      ],
    });
    const checkout = MANIFEST.workloads.checkout?.environments.staging as EcsTarget;
    const { services: blueGreen } = await call('DescribeServices', {
      cluster: checkout.clusterName,
      services: [checkout.serviceName, 'nope'],
    });
    expect(blueGreen).toMatchObject([
      { deploymentController: { type: 'CODE_DEPLOY' }, taskSets: [{ status: 'PRIMARY' }] },
    ]);
  });

  it('a PAUSE hook nobody answers times out with its action: ROLLBACK', async () => {
    const { call, clock } = await world();
    const { taskDefinition } = await call('RegisterTaskDefinition', {
      family: AUTH.taskFamily,
      containerDefinitions: [{ name: 'auth', image: `${AUTH.imageRepository}:2.0.0` }],
    });
    const arn = (taskDefinition as { taskDefinitionArn: string }).taskDefinitionArn;
    const hook = {
      targetType: 'PAUSE',
      lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
      timeoutConfiguration: { timeoutInMinutes: 20, action: 'ROLLBACK' },
    };
    await call('UpdateService', {
      cluster: AUTH.clusterName,
      service: AUTH.serviceName,
      taskDefinition: arn,
      deploymentConfiguration: {
        strategy: 'CANARY',
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 },
        lifecycleHooks: [hook],
      },
    });
    const list = () =>
      call('ListServiceDeployments', { cluster: AUTH.clusterName, service: AUTH.serviceName });
    const [brief] = (await list()).serviceDeployments as { serviceDeploymentArn: string }[];
    const describe = async () =>
      (
        (await call('DescribeServiceDeployments', { serviceDeploymentArns: [brief?.serviceDeploymentArn] }))
          .serviceDeployments as {
          status: string;
          lifecycleStage: string;
          lifecycleHookDetails: { status: string; hookId: string }[];
          statusReason?: string;
        }[]
      )[0];
    const paused = await eventually(clock, async () =>
      (await describe())?.lifecycleHookDetails[0] ? describe() : undefined,
    );
    expect(paused?.lifecycleStage).toBe('PRE_PRODUCTION_TRAFFIC_SHIFT');
    const pausedAt = clock.now();
    const ended = await eventually(clock, async () => {
      const now = await describe();
      return now?.status === 'ROLLBACK_SUCCESSFUL' ? now : undefined;
    });
    expect(clock.now() - pausedAt).toBeGreaterThanOrEqual(20 * 60_000 - 10_000);
    expect(ended.lifecycleHookDetails.map((h) => h.status)).toEqual(['TIMED_OUT']);
    expect(ended.statusReason).toBe('The PAUSE lifecycle hook timed out.');
    await expect(
      call('ContinueServiceDeployment', {
        serviceDeploymentArn: brief?.serviceDeploymentArn,
        hookId: paused?.lifecycleHookDetails[0]?.hookId,
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterException' });
  });

  it('names its errors as the SDK declares them', async () => {
    const { call } = await world();
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'no error',
        (error: AwsServiceError) => error.code,
      );
    expect(await code(call('DescribeServices', { cluster: 'nope', services: ['x'] }))).toBe(
      'ClusterNotFoundException',
    );
    expect(await code(call('UpdateService', { cluster: AUTH.clusterName, service: 'nope' }))).toBe(
      'ServiceNotFoundException',
    );
    expect(await code(call('DescribeTaskDefinition', { taskDefinition: 'nope:3' }))).toBe('ClientException');
    const arn = `arn:aws:ecs:eu-west-1:111111111111:service-deployment/${AUTH.clusterName}/${AUTH.serviceName}/abc`;
    expect(await code(call('StopServiceDeployment', { serviceDeploymentArn: arn }))).toBe(
      'ServiceDeploymentNotFoundException',
    );
    const checkout = MANIFEST.workloads.checkout?.environments.staging as EcsTarget;
    expect(
      await code(
        call('UpdateService', {
          cluster: checkout.clusterName,
          service: checkout.serviceName,
          taskDefinition: `${AUTH.taskFamily}:1`,
        }),
      ),
    ).toBe('InvalidParameterException');
  });

  it("serves the workload's production listener through the real router", async () => {
    const clock = fastClock();
    const ecs = createEcsService({ clock, faults: emptyFaultPlan() });
    open.push(ecs);
    const metrics: { name: string; dimensions: Record<string, string> }[] = [];
    const sink = {
      metric: (datum: { name: string; dimensions: Record<string, string> }) => metrics.push(datum),
    };
    await provisionEcs(ecs, MANIFEST, {
      runtime: new FakeRuntime(),
      routers: (options) => startWeightedRouter({ sink, ...options }),
    });
    const entry = ecs.entryPoint('auth', 'staging');
    const answer = await fetch(`${entry.url}/`).then((response) => response.json());
    expect(answer).toEqual({ version: '1.0.0' });
    expect(metrics).toContainEqual(
      expect.objectContaining({
        name: 'RequestCount',
        dimensions: {
          LoadBalancer: `app/${AUTH.loadBalancerName}/local`,
          TargetGroup: `targetgroup/${AUTH.targetGroups.blue}/local`,
        },
      }),
    );
  });
});
