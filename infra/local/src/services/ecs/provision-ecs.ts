import type { DeploymentConfiguration, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import type { EcsTarget, ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { INITIAL_RELEASE } from '../../provisioning/initial-release';
import type { ContainerRuntime } from '../../runtime/container-runtime';
import type { EcsService } from './ecs-service';
import type { EcsServiceRecord } from './ecs-store';
import { type StartRouter, startLoadBalancer } from './load-balancer';
import { newTaskSet } from './task-sets';

export interface ProvisionEcsOptions {
  runtime: ContainerRuntime;
  routers: StartRouter;
  /** Tasks per service (default 1: one local process per revision keeps a laptop cool). */
  desiredCount?: number;
}

/**
 * Creates what the infra creates for every ECS target of the manifest (both environments): the cluster,
 * task definition revision 1 (`<imageRepository>:1.0.0`, RELEASE_VERSION 1.0.0), the ALB with its blue and
 * green target groups, and the service, running 1.0.0 in the blue target group: ECS-native targets with the
 * CANARY strategy and Tollgate's PAUSE hook, CodeDeploy targets with the CODE_DEPLOY controller.
 */
export async function provisionEcs(
  service: EcsService,
  manifest: ReleaseManifest,
  options: ProvisionEcsOptions,
): Promise<EcsServiceRecord[]> {
  const targets = Object.entries(manifest.workloads).flatMap(([workload, entry]) =>
    Object.entries(entry.environments).flatMap(([environment, target]) =>
      target.platform === 'ecs' ? [{ workload, environment, target }] : [],
    ),
  );
  return Promise.all(
    targets.map(async ({ workload, environment, target }) => {
      const record = await provisionTarget(service, workload, target, options);
      service.registerEntry(workload, environment, record);
      return record;
    }),
  );
}

async function provisionTarget(
  service: EcsService,
  workload: string,
  target: EcsTarget,
  options: ProvisionEcsOptions,
): Promise<EcsServiceRecord> {
  const home = { region: target.region, account: target.account };
  const cluster = service.store.addCluster(target.clusterName, home);
  const registered = service.taskDefinitions.register(initialTaskDefinition(workload, target), home);
  const taskDefinition = registered.taskDefinition.taskDefinitionArn ?? '';
  const now = service.clock.now();
  const revision = service.store.addRevision(cluster, target.serviceName, taskDefinition, now);
  const loadBalancer = await startLoadBalancer(target, options.routers);
  const codeDeploy = target.strategy === 'codedeploy-blue-green';
  const record = service.store.addService({
    cluster,
    name: target.serviceName,
    workload,
    containerName: target.containerName,
    containerPort: target.containerPort,
    desiredCount: options.desiredCount ?? 1,
    controller: codeDeploy ? 'CODE_DEPLOY' : 'ECS',
    taskDefinition,
    deploymentConfiguration: codeDeploy ? blueGreenConfiguration() : canaryConfiguration(target),
    loadBalancer,
    runtime: options.runtime,
    createdAt: revision.createdAt,
    live: { revision, group: 'blue' },
    deployments: [],
    taskSets: [],
    tags: [],
  });
  const tasks = await service.launch(record, taskDefinition);
  record.live.tasks = tasks;
  if (codeDeploy) {
    const primary = newTaskSet(
      { store: service.store, now: () => now },
      record,
      taskDefinition,
      'blue',
      'PRIMARY',
    );
    primary.tasks = tasks;
    record.taskSets.push(primary);
  }
  await loadBalancer.register('blue', tasks.url);
  await loadBalancer.weigh('blue', 100);
  return record;
}

function initialTaskDefinition(workload: string, target: EcsTarget): RegisterTaskDefinitionCommandInput {
  const repository =
    target.imageRepository ?? `${target.account}.dkr.ecr.${target.region}.amazonaws.com/${workload}`;
  return {
    family: target.taskFamily,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    containerDefinitions: [
      {
        name: target.containerName,
        image: `${repository}:${INITIAL_RELEASE}`,
        essential: true,
        portMappings: [{ containerPort: target.containerPort, protocol: 'tcp', name: 'http' }],
        environment: [
          { name: 'PORT', value: String(target.containerPort) },
          { name: 'RELEASE_VERSION', value: INITIAL_RELEASE },
        ],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': target.logGroup, 'awslogs-stream-prefix': workload },
        },
      },
    ],
  };
}

/**
 * ECS-native canary as infra/aws declares it (fargate-release.ts, ecsCanaryRelease): CANARY at the
 * target's step percent with no bake of its own, a 5-minute deployment bake, the circuit breaker and the
 * gating alarms with rollback, and the PAUSE hook before every production traffic shift (24 h, ROLLBACK).
 */
function canaryConfiguration(target: EcsTarget): DeploymentConfiguration {
  return {
    strategy: 'CANARY',
    canaryConfiguration: { canaryPercent: target.canary?.stepPercent ?? 10, canaryBakeTimeInMinutes: 0 },
    bakeTimeInMinutes: 5,
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    alarms: { alarmNames: [...target.alarms], enable: true, rollback: true },
    lifecycleHooks: [
      {
        targetType: 'PAUSE',
        lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 1440, action: 'ROLLBACK' },
      },
    ],
  };
}

function blueGreenConfiguration(): DeploymentConfiguration {
  return { maximumPercent: 200, minimumHealthyPercent: 100 };
}
