import type { ReleaseManifest, ReleaseTarget } from '@tollgate/pipelines/targets/manifest';
import type { CodeDeployService } from './codedeploy-service';
import type { DeploymentGroupRecord, GroupTarget } from './codedeploy-store';

/** What infra/aws's deployment groups roll back on (autoRollback: failed, in alarm, stopped). */
const AUTO_ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'];
/** fargate-release.ts: the blue task set is kept 5 minutes after all traffic moved. */
const TERMINATION_WAIT_MINUTES = 5;

/**
 * Creates the CodeDeploy application and deployment group of every target that names `codeDeploy` (Lambda
 * targets and ECS CodeDeploy targets, both environments), with the group's deployment configuration, its
 * gating alarms and automatic rollback, as infra/aws declares them.
 */
export function provisionCodeDeploy(
  service: CodeDeployService,
  manifest: ReleaseManifest,
): DeploymentGroupRecord[] {
  const groups: DeploymentGroupRecord[] = [];
  for (const entry of Object.values(manifest.workloads)) {
    for (const target of Object.values(entry.environments)) {
      const group = groupOf(target);
      if (!group || !('codeDeploy' in target) || !target.codeDeploy) continue;
      const { application: name, deploymentGroup, deploymentConfig } = target.codeDeploy;
      const { store } = service;
      const application = store.applications.get(name) ?? {
        name,
        id: `app-${store.applications.size + 1}`,
        platform: group.kind === 'ecs' ? ('ECS' as const) : ('Lambda' as const),
        createTime: 0,
        revisions: [],
      };
      store.applications.set(name, application);
      const record: DeploymentGroupRecord = {
        application,
        name: deploymentGroup,
        id: `group-${store.groups.size + 1}`,
        deploymentConfigName: deploymentConfig,
        alarms: [...target.alarms],
        alarmsEnabled: true,
        autoRollback: { enabled: true, events: [...AUTO_ROLLBACK_EVENTS] },
        serviceRoleArn: `arn:aws:iam::${target.account}:role/${deploymentGroup}-codedeploy`,
        target: group,
      };
      store.groups.set(`${name}/${deploymentGroup}`, record);
      groups.push(record);
    }
  }
  return groups;
}

function groupOf(target: ReleaseTarget): GroupTarget | undefined {
  const { region, account } = target;
  if (target.platform === 'lambda')
    return { kind: 'lambda', functionName: target.functionName, alias: target.alias, region, account };
  if (target.platform === 'ecs' && target.codeDeploy) {
    return {
      kind: 'ecs',
      cluster: target.clusterName,
      service: target.serviceName,
      region,
      account,
      targetGroups: { ...target.targetGroups },
      productionListenerPort: target.productionListenerPort,
      testListenerPort: target.testListenerPort,
      terminationWaitMinutes: TERMINATION_WAIT_MINUTES,
    };
  }
  return undefined;
}
