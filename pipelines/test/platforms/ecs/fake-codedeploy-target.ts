import type { DeploymentInfo, DeploymentTarget, ECSTaskSet } from '@aws-sdk/client-codedeploy';
import type { EcsTarget } from '../../../src/targets/manifest';
import type { FakeBlueGreenDeployment, TaskSet } from './fake-blue-green-deployment';

/** GetDeploymentTarget's ECS target: lifecycle events and both task sets with their traffic weights. */
export function targetOf(
  deployment: FakeBlueGreenDeployment,
  targetId: string,
  serviceArn: string,
): DeploymentTarget {
  const taskSet = (label: 'Blue' | 'Green', set: TaskSet, weight: number): ECSTaskSet => ({
    identifer: set.id,
    desiredCount: 2,
    pendingCount: 0,
    runningCount: 2,
    status: set.status,
    trafficWeight: weight,
    targetGroup: { name: label === 'Blue' ? 'checkout-blue' : 'checkout-green' },
    taskSetLabel: label,
  });
  const targetStatus = deployment.active
    ? 'InProgress'
    : deployment.status === 'Succeeded'
      ? 'Succeeded'
      : 'Failed';
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      deploymentId: deployment.id,
      targetId,
      targetArn: serviceArn,
      lastUpdatedAt: new Date(deployment.completeTime ?? deployment.createTime),
      lifecycleEvents: structuredClone(deployment.events),
      status: targetStatus,
      taskSetsInfo: [
        taskSet('Blue', deployment.blue, 100 - deployment.weight),
        taskSet('Green', deployment.green, deployment.weight),
      ],
    },
  };
}

/** GetDeployment's deploymentInfo: the AppSpec revision it was created with, status, errors. */
export function deploymentInfoOf(deployment: FakeBlueGreenDeployment, target: EcsTarget): DeploymentInfo {
  const info: DeploymentInfo = {
    applicationName: target.codeDeploy?.application,
    deploymentGroupName: target.codeDeploy?.deploymentGroup,
    deploymentConfigName: deployment.config,
    deploymentId: deployment.id,
    revision: { revisionType: 'AppSpecContent', appSpecContent: deployment.appSpec },
    status: deployment.status,
    createTime: new Date(deployment.createTime),
    creator: 'user',
    computePlatform: 'ECS',
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
  };
  if (deployment.completeTime) info.completeTime = new Date(deployment.completeTime);
  if (deployment.error) info.errorInformation = deployment.error;
  if (deployment.description) info.description = deployment.description;
  return info;
}
