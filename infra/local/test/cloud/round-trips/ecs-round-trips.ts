import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type ServiceDeployment,
  StopServiceDeploymentCommand,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { EcsTarget } from '@tollgate/pipelines/targets/manifest';
import { expect } from 'vitest';
import { expectCloudDate, type RoundTripWorld, rejection, until } from './round-trip-cloud';

/** auth's ECS-native canary: a deployment continued past its pause, one stopped with a rollback. */
export async function ecsRoundTrips(world: RoundTripWorld): Promise<void> {
  const target = world.target<EcsTarget>('auth');
  const ecs = new ECSClient(world.config);
  const home = `eu-west-1:${target.account}`;
  const where = { cluster: target.clusterName, service: target.serviceName };
  const first = `arn:aws:ecs:${home}:task-definition/${target.taskFamily}:1`;
  const describeService = async () =>
    (
      await ecs.send(
        new DescribeServicesCommand({
          cluster: target.clusterName,
          services: [target.serviceName],
          include: ['TAGS'],
        }),
      )
    ).services?.[0];

  const service = await describeService();
  expect(service).toMatchObject({
    serviceArn: `arn:aws:ecs:${home}:service/${target.clusterName}/${target.serviceName}`,
    clusterArn: `arn:aws:ecs:${home}:cluster/${target.clusterName}`,
    status: 'ACTIVE',
    taskDefinition: first,
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: { strategy: 'CANARY' },
  });
  expectCloudDate(world, service?.createdAt);
  const { taskDefinitionArns } = await ecs.send(
    new ListTaskDefinitionsCommand({ familyPrefix: target.taskFamily, status: 'ACTIVE', sort: 'DESC' }),
  );
  expect(taskDefinitionArns).toEqual([first]);
  const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: first }));
  expect(taskDefinition).toMatchObject({
    taskDefinitionArn: first,
    family: target.taskFamily,
    revision: 1,
    status: 'ACTIVE',
  });
  expect(taskDefinition?.containerDefinitions?.[0]?.image).toBe(`${target.imageRepository}:1.0.0`);

  const second = await registerRelease(
    ecs,
    taskDefinition as RegisterTaskDefinitionCommandInput,
    target,
    '1.1.0',
  );
  expect(second).toBe(`arn:aws:ecs:${home}:task-definition/${target.taskFamily}:2`);
  await ecs.send(
    new TagResourceCommand({ resourceArn: second, tags: [{ key: 'tollgate:actor', value: 'round-trip' }] }),
  );
  const tagged = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: second, include: ['TAGS'] }),
  );
  expect(tagged.tags).toEqual([
    { key: 'release', value: '1.1.0' },
    { key: 'tollgate:actor', value: 'round-trip' },
  ]);
  await ecs.send(
    new TagResourceCommand({ resourceArn: service?.serviceArn, tags: [{ key: 'team', value: 'identity' }] }),
  );
  expect((await describeService())?.tags).toContainEqual({ key: 'team', value: 'identity' });

  const updated = await ecs.send(new UpdateServiceCommand({ ...where, taskDefinition: second }));
  expect(updated.service?.taskDefinition).toBe(second);
  const deployment = await inFlight(world, ecs, target);
  const paused = await until(
    world,
    `${deployment} pausing at its PAUSE hook`,
    () => describeDeployment(ecs, deployment),
    (read) => read?.lifecycleHookDetails?.some((hook) => hook.status === 'AWAITING_ACTION') === true,
  );
  expect(paused).toMatchObject({
    serviceArn: service?.serviceArn,
    clusterArn: service?.clusterArn,
    status: 'IN_PROGRESS',
  });
  const revisionArn = paused?.targetServiceRevision?.arn;
  const { serviceRevisions } = await ecs.send(
    new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn ?? ''] }),
  );
  expect(serviceRevisions?.[0]).toMatchObject({
    serviceRevisionArn: revisionArn,
    taskDefinition: second,
    serviceArn: service?.serviceArn,
  });
  const answered = await continueEveryPause(world, ecs, deployment);
  expect(answered.length).toBeGreaterThanOrEqual(1);
  expect((await describeService())?.taskDefinition).toBe(second);

  await ecs.send(new UpdateServiceCommand({ ...where, taskDefinition: first }));
  const back = await inFlight(world, ecs, target);
  const stop = await ecs.send(
    new StopServiceDeploymentCommand({ serviceDeploymentArn: back, stopType: 'ROLLBACK' }),
  );
  expect(stop.serviceDeploymentArn).toBe(back);
  const rolledBack = await until(
    world,
    `${back} rolling back`,
    () => describeDeployment(ecs, back),
    (read) => read?.status === 'ROLLBACK_SUCCESSFUL',
  );
  expectCloudDate(world, rolledBack?.finishedAt);
  expect((await describeService())?.taskDefinition).toBe(second);

  const refused = await rejection(
    ecs.send(
      new UpdateServiceCommand({ ...where, deploymentConfiguration: { strategy: 'PURPLE' as 'CANARY' } }),
    ),
  );
  expect(refused).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  expect(refused.message).toContain('deploymentConfiguration.strategy');
}

/** A copy of the live task definition with the release's image and RELEASE_VERSION, tagged with it. */
async function registerRelease(
  ecs: ECSClient,
  live: RegisterTaskDefinitionCommandInput,
  target: EcsTarget,
  release: string,
): Promise<string> {
  const containerDefinitions = (live.containerDefinitions ?? []).map((container) => ({
    ...container,
    image: `${target.imageRepository}:${release}`,
    environment: [
      ...(container.environment ?? []).filter((variable) => variable.name !== 'RELEASE_VERSION'),
      { name: 'RELEASE_VERSION', value: release },
    ],
  }));
  const { family, networkMode, requiresCompatibilities, cpu, memory } = live;
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode,
      requiresCompatibilities,
      cpu,
      memory,
      containerDefinitions,
      tags: [{ key: 'release', value: release }],
    }),
  );
  expect(registered.taskDefinition).toMatchObject({ family, revision: 2, status: 'ACTIVE' });
  expect(registered.tags).toEqual([{ key: 'release', value: release }]);
  return registered.taskDefinition?.taskDefinitionArn ?? '';
}

/** The service deployment ECS started for the update: the one ListServiceDeployments shows in flight. */
async function inFlight(world: RoundTripWorld, ecs: ECSClient, target: EcsTarget): Promise<string> {
  const { serviceDeployments } = await until(
    world,
    `a service deployment of ${target.serviceName} in flight`,
    () =>
      ecs.send(
        new ListServiceDeploymentsCommand({
          cluster: target.clusterName,
          service: target.serviceName,
          status: ['PENDING', 'IN_PROGRESS'],
        }),
      ),
    (read) => (read.serviceDeployments?.length ?? 0) === 1,
  );
  const arn = serviceDeployments?.[0]?.serviceDeploymentArn ?? '';
  expect(arn).toMatch(
    new RegExp(
      `^arn:aws:ecs:eu-west-1:${target.account}:service-deployment/${target.clusterName}/${target.serviceName}/`,
    ),
  );
  return arn;
}

/**
 * Answers CONTINUE to each PAUSE hook as it awaits action (the canary pauses before each production
 * traffic shift) until the deployment succeeds; returns the hook ids answered.
 */
async function continueEveryPause(world: RoundTripWorld, ecs: ECSClient, arn: string): Promise<string[]> {
  const answered: string[] = [];
  await until(
    world,
    `${arn} succeeding`,
    async () => {
      const read = await describeDeployment(ecs, arn);
      const awaiting = read?.lifecycleHookDetails?.find(
        (hook) => hook.status === 'AWAITING_ACTION' && hook.hookId && !answered.includes(hook.hookId),
      );
      if (awaiting?.hookId) {
        await ecs.send(
          new ContinueServiceDeploymentCommand({
            serviceDeploymentArn: arn,
            hookId: awaiting.hookId,
            action: 'CONTINUE',
          }),
        );
        answered.push(awaiting.hookId);
      }
      return read;
    },
    (read) => read?.status === 'SUCCESSFUL',
  );
  const hooks = (await describeDeployment(ecs, arn))?.lifecycleHookDetails ?? [];
  expect(hooks.map((hook) => [hook.hookId, hook.status])).toEqual(answered.map((id) => [id, 'SUCCEEDED']));
  return answered;
}

async function describeDeployment(ecs: ECSClient, arn: string): Promise<ServiceDeployment | undefined> {
  const { serviceDeployments } = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
  );
  return serviceDeployments?.[0];
}
