import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import type { EcsTarget } from '@tollgate/pipelines/targets/manifest';
import type { ReleaseWorld } from './release-world';

/** One ECS service deployment as a test reads it back: where it stands and what it deploys. */
export interface EcsDeploymentView {
  status: string;
  statusReason?: string;
  /** RELEASE_VERSION of the task definition its target service revision runs. */
  targetRelease: string;
  /** The target revision's requested share of production traffic, 0..100. */
  targetWeight: number;
}

/** What a test reads of an ECS service through the official ECS client, as an operator would. */
export interface EcsState {
  /** RELEASE_VERSION of the task definition DescribeServices says the service runs. */
  serviceRelease(): Promise<string>;
  /** Every deployment of the service, newest first (ListServiceDeployments without a status filter). */
  deployments(): Promise<EcsDeploymentView[]>;
  /**
   * Waits (on cloud time, polling every 10 cloud seconds, at most `withinCloudMs`) until no deployment of the
   * service is in flight; the deployments then, newest first.
   */
  settled(withinCloudMs: number): Promise<EcsDeploymentView[]>;
}

/** ServiceDeploymentStatus values of a deployment still moving or holding traffic. */
const IN_FLIGHT = new Set([
  'PENDING',
  'IN_PROGRESS',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'STOP_REQUESTED',
]);
const POLL_CLOUD_MS = 10_000;

/**
 * The ECS service of `workload` in `environment`, read with an ECS client pointed at the cloud directly
 * (not through the release's wire recorder, so `world.calls` stays the CLI's own).
 */
export function ecsState(world: ReleaseWorld, workload: string, environment = 'production'): EcsState {
  const { cloud } = world;
  const target = cloud.manifest.workloads[workload]?.environments[environment];
  if (target?.platform !== 'ecs') throw new Error(`${workload} does not run on ECS in ${environment}`);
  const client = new ECSClient({ ...world.aws, region: target.region });
  const releaseOf = (taskDefinition: string) => taskDefinitionRelease(client, target, taskDefinition);
  const state: EcsState = {
    async serviceRelease() {
      const { services } = await client.send(
        new DescribeServicesCommand({ cluster: target.clusterName, services: [target.serviceName] }),
      );
      const taskDefinition = services?.[0]?.taskDefinition;
      if (!taskDefinition)
        throw new Error(`DescribeServices named no task definition for ${target.serviceName}`);
      return releaseOf(taskDefinition);
    },
    async deployments() {
      const { serviceDeployments } = await client.send(
        new ListServiceDeploymentsCommand({ cluster: target.clusterName, service: target.serviceName }),
      );
      const arns = (serviceDeployments ?? []).flatMap((brief) =>
        brief.serviceDeploymentArn ? [brief.serviceDeploymentArn] : [],
      );
      if (arns.length === 0) return [];
      const described = await client.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }),
      );
      return Promise.all(
        (described.serviceDeployments ?? []).map(async (deployment) => {
          const revision = deployment.targetServiceRevision;
          const { serviceRevisions } = await client.send(
            new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revision?.arn ?? ''] }),
          );
          const view: EcsDeploymentView = {
            status: deployment.status ?? 'UNKNOWN',
            targetRelease: await releaseOf(serviceRevisions?.[0]?.taskDefinition ?? ''),
            targetWeight: revision?.requestedProductionTrafficWeight ?? 0,
          };
          if (deployment.statusReason) view.statusReason = deployment.statusReason;
          return view;
        }),
      );
    },
    async settled(withinCloudMs) {
      const deadline = cloud.clock.now() + withinCloudMs;
      for (;;) {
        const deployments = await state.deployments();
        if (!deployments.some((deployment) => IN_FLIGHT.has(deployment.status))) return deployments;
        if (cloud.clock.now() >= deadline) {
          const standing = deployments.map((d) => `${d.targetRelease} ${d.status}`).join(', ');
          throw new Error(
            `ECS deployments of ${target.serviceName} still in flight after ${withinCloudMs / 1000} cloud s: ${standing}`,
          );
        }
        await cloud.clock.sleep(POLL_CLOUD_MS);
      }
    },
  };
  return state;
}

async function taskDefinitionRelease(client: ECSClient, target: EcsTarget, arn: string): Promise<string> {
  const { taskDefinition } = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
  const container = taskDefinition?.containerDefinitions?.find((c) => c.name === target.containerName);
  const release = container?.environment?.find((variable) => variable.name === 'RELEASE_VERSION')?.value;
  if (!release) throw new Error(`task definition ${arn} sets no RELEASE_VERSION on ${target.containerName}`);
  return release;
}
