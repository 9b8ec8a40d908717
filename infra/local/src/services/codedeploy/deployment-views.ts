import type { DeploymentGroupInfo, DeploymentInfo, LastDeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { CodeDeployStore, DeploymentGroupRecord, DeploymentRecord } from './codedeploy-store';

/** GetDeployment's deploymentInfo. */
export function deploymentInfoOf(deployment: DeploymentRecord): DeploymentInfo {
  const { group } = deployment;
  const ecs = group.target.kind === 'ecs';
  const info: DeploymentInfo = {
    applicationName: group.application.name,
    deploymentGroupName: group.name,
    deploymentConfigName: deployment.configName,
    deploymentId: deployment.id,
    revision: structuredClone(deployment.revision),
    status: deployment.status,
    createTime: new Date(deployment.createTime),
    creator: deployment.creator,
    computePlatform: ecs ? 'ECS' : 'Lambda',
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    autoRollbackConfiguration: {
      enabled: group.autoRollback.enabled,
      events: [...group.autoRollback.events] as never,
    },
    deploymentStatusMessages: [],
  };
  if (deployment.startTime !== undefined) info.startTime = new Date(deployment.startTime);
  if (deployment.completeTime !== undefined) info.completeTime = new Date(deployment.completeTime);
  if (deployment.description) info.description = deployment.description;
  if (deployment.error) info.errorInformation = { ...deployment.error };
  if (deployment.rollbackInfo) info.rollbackInfo = { ...deployment.rollbackInfo };
  return info;
}

function lastOf(deployment: DeploymentRecord | undefined): LastDeploymentInfo | undefined {
  if (!deployment) return undefined;
  const last: LastDeploymentInfo = {
    deploymentId: deployment.id,
    status: deployment.status,
    createTime: new Date(deployment.createTime),
  };
  if (deployment.completeTime !== undefined) last.endTime = new Date(deployment.completeTime);
  return last;
}

/** GetDeploymentGroup's deploymentGroupInfo. */
export function deploymentGroupInfoOf(
  store: CodeDeployStore,
  group: DeploymentGroupRecord,
): DeploymentGroupInfo {
  const deployments = store.deploymentsOf(group);
  const info: DeploymentGroupInfo = {
    applicationName: group.application.name,
    deploymentGroupId: group.id,
    deploymentGroupName: group.name,
    deploymentConfigName: group.deploymentConfigName,
    serviceRoleArn: group.serviceRoleArn,
    alarmConfiguration: {
      enabled: group.alarmsEnabled,
      ignorePollAlarmFailure: false,
      alarms: group.alarms.map((name) => ({ name })),
    },
    autoRollbackConfiguration: {
      enabled: group.autoRollback.enabled,
      events: [...group.autoRollback.events] as never,
    },
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    computePlatform: group.target.kind === 'ecs' ? 'ECS' : 'Lambda',
  };
  const attempted = lastOf(deployments[0]);
  if (attempted) info.lastAttemptedDeployment = attempted;
  const succeeded = lastOf(deployments.find((deployment) => deployment.status === 'Succeeded'));
  if (succeeded) info.lastSuccessfulDeployment = succeeded;
  const { target } = group;
  if (target.kind === 'ecs') {
    info.ecsServices = [{ serviceName: target.service, clusterName: target.cluster }];
    const listener = (port: number) =>
      `arn:aws:elasticloadbalancing:${target.region}:${target.account}:listener/app/local/${target.targetGroups.blue}/${port}`;
    info.loadBalancerInfo = {
      targetGroupPairInfoList: [
        {
          targetGroups: [{ name: target.targetGroups.blue }, { name: target.targetGroups.green }],
          prodTrafficRoute: { listenerArns: [listener(target.productionListenerPort)] },
          testTrafficRoute: { listenerArns: [listener(target.testListenerPort)] },
        },
      ],
    };
    info.blueGreenDeploymentConfiguration = {
      terminateBlueInstancesOnDeploymentSuccess: {
        action: 'TERMINATE',
        terminationWaitTimeInMinutes: target.terminationWaitMinutes,
      },
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
    };
  }
  return info;
}
