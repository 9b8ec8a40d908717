import type { DeploymentConfiguration, Service } from '@aws-sdk/client-ecs';
import type { DeploymentStatus, Revision, TrafficState } from '../port';
import type { EcsService } from './ecs-service';
import { type NativeSchedule, scheduleOf, stepIndexOf } from './native-schedule';
import type { ServiceDeployments, ServiceDeploymentView } from './service-deployments';
import type { TaskDefinitions } from './task-definitions';

/** An ECS-native service as one read found it: what is stable, and the deployment in flight. */
export interface NativeState {
  service: Service;
  stable: Revision;
  deployment?: ServiceDeploymentView;
  /** The revision the deployment in flight deploys. */
  target?: Revision;
}

/**
 * Reads the service (DescribeServices), its deployment in flight (ListServiceDeployments with the in-flight
 * statuses, then DescribeServiceDeployments) and the task definitions of that deployment's service revisions
 * (DescribeServiceRevisions). Without a deployment in flight, the service's task definition is stable.
 */
export async function readNative(parts: {
  service: EcsService;
  deployments: ServiceDeployments;
  taskDefinitions: TaskDefinitions;
}): Promise<NativeState> {
  const service = await parts.service.describe();
  const deployment = await parts.deployments.inFlight();
  const live = service.taskDefinition;
  if (!deployment?.targetRevision) {
    if (!live) throw new Error(`${parts.service.where} runs no task definition`);
    return { service, stable: await parts.taskDefinitions.revision(live) };
  }
  const runs = await parts.deployments.taskDefinitions([
    deployment.targetRevision,
    ...deployment.sourceRevisions,
  ]);
  const targetArn = runs.get(deployment.targetRevision);
  const sourceArn = deployment.sourceRevisions.map((arn) => runs.get(arn)).find((arn) => arn) ?? live;
  if (!targetArn || !sourceArn) {
    throw new Error(
      `ECS did not say which task definitions deployment ${deployment.arn} deploys and replaces`,
    );
  }
  const [stable, target] = await Promise.all([
    parts.taskDefinitions.revision(sourceArn),
    parts.taskDefinitions.revision(targetArn),
  ]);
  return { service, stable, deployment, target };
}

/**
 * The port's view. The split is the deployment's requested production traffic weight of its target
 * revision (ECS moves the listener rule's weights to it); once all production traffic is on the target
 * (ECS bakes and cleans up after that), the target is stable.
 */
export function trafficOf(state: NativeState): TrafficState {
  const { deployment, target, stable } = state;
  if (!deployment || !target || target.ref === stable.ref) return { stable, canaryWeight: 0 };
  const status = deploymentOf(state, deployment, target);
  if (!deployment.rollingBack && deployment.weight >= 100)
    return { stable: target, canaryWeight: 0, deployment: status };
  if (deployment.weight > 0)
    return { stable, canary: target, canaryWeight: deployment.weight, deployment: status };
  return { stable, canaryWeight: 0, deployment: status };
}

function deploymentOf(
  state: NativeState,
  deployment: ServiceDeploymentView,
  target: Revision,
): DeploymentStatus {
  const schedule = scheduleOrNone(deployment.configuration ?? state.service.deploymentConfiguration);
  const index = schedule ? stepIndexOf(schedule, deployment.weight) : deployment.weight > 0 ? 0 : -1;
  const status: DeploymentStatus = {
    id: deployment.arn,
    revision: target,
    state: deployment.rollingBack ? 'stopped' : deployment.weight >= 100 ? 'succeeded' : 'running',
    stepIndex: index,
  };
  if (deployment.rollingBack)
    status.reason = deployment.reason ?? `ECS is rolling it back (${deployment.status})`;
  return status;
}

/** The schedule of a configuration, or none for a strategy the ecs-native method does not run. */
export function scheduleOrNone(
  configuration: DeploymentConfiguration | undefined,
): NativeSchedule | undefined {
  const strategy = configuration?.strategy;
  return strategy === 'CANARY' || strategy === 'LINEAR' ? scheduleOf(configuration, '') : undefined;
}
