import type { DeploymentTarget, ECSTaskSet } from '@aws-sdk/client-codedeploy';
import type { TaskSetRecord } from '../ecs/task-set-record';
import type { BlueGreenService } from '../ecs/task-sets';
import type { DeploymentRecord } from './codedeploy-store';
import { targetStatus } from './lambda-traffic';
import { DeploymentFailure, type TrafficDriver } from './traffic-driver';

export interface EcsSpec {
  taskDefinition: string;
  containerName: string;
  containerPort: number;
  targetGroups: { blue: string; green: string };
}

/**
 * A CodeDeploy ECS blue/green deployment's effect on the service: a replacement (green) task set in the
 * other target group, the production listener's weights moved to it, then it becomes PRIMARY and the
 * original (blue) task set is deleted after the termination wait. A rollback moves traffic back to blue
 * and deletes green.
 */
export function ecsDriver(service: BlueGreenService, deploymentId: string, spec: EcsSpec): TrafficDriver {
  const blue = service.primary();
  let green: TaskSetRecord | undefined;
  const { record } = service;
  const labelOf = (set: TaskSetRecord) => (set === blue ? 'Blue' : 'Green');
  return {
    eventNames: [
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'AllowTestTraffic',
      'AfterAllowTestTraffic',
      'BeforeAllowTraffic',
      'AllowTraffic',
      'AfterAllowTraffic',
    ],
    targetId: `${record.cluster.name}:${record.name}`,
    async install() {
      if (spec.containerName !== record.containerName || spec.containerPort !== record.containerPort) {
        throw new DeploymentFailure(
          'ECS_UPDATE_ERROR',
          `The AppSpec's LoadBalancerInfo names container ${spec.containerName}:${spec.containerPort}; the service's load balancer sends traffic to ${record.containerName}:${record.containerPort}.`,
        );
      }
      green = await service.createTaskSet(spec.taskDefinition, deploymentId).catch((error: unknown) => {
        throw new DeploymentFailure(
          'ECS_UPDATE_ERROR',
          `The replacement task set did not become healthy: ${String(error)}`,
        );
      });
    },
    async shift(percent) {
      if (green) await service.shift(green, percent);
    },
    async complete() {
      if (green) service.promote(green);
    },
    async cleanUp() {
      await service.remove(blue);
    },
    async restore() {
      if (!green) {
        const created = record.taskSets.find((set) => set.externalId === deploymentId);
        if (created) await service.remove(created);
        return;
      }
      await service.shift(green, 0);
      if (green.status === 'PRIMARY') service.promote(blue);
      await service.remove(green);
    },
    target(deployment: DeploymentRecord): DeploymentTarget {
      const taskSet = (set: TaskSetRecord, weight: number): ECSTaskSet => ({
        identifer: set.id,
        desiredCount: record.desiredCount,
        pendingCount: set.tasks ? 0 : record.desiredCount,
        runningCount: set.tasks?.containers.filter((container) => container.running()).length ?? 0,
        status: set.status,
        trafficWeight: weight,
        targetGroup: { name: spec.targetGroups[set.group] },
        taskSetLabel: labelOf(set),
      });
      const sets = [taskSet(blue, 100 - deployment.weight)];
      if (green) sets.push(taskSet(green, deployment.weight));
      return {
        deploymentTargetType: 'ECSTarget',
        ecsTarget: {
          deploymentId: deployment.id,
          targetId: `${record.cluster.name}:${record.name}`,
          targetArn: record.arn,
          lastUpdatedAt: new Date(deployment.completeTime ?? deployment.startTime ?? deployment.createTime),
          lifecycleEvents: structuredClone(deployment.events),
          status: targetStatus(deployment),
          taskSetsInfo: sets,
        },
      };
    },
  };
}
