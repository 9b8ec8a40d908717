import type { ServiceDeployment, ServiceDeploymentBrief } from '@aws-sdk/client-ecs';
import type { FakeServiceDeployment } from './fake-service-deployment';

/** A deployment as ListServiceDeployments lists it. */
export function briefOf(
  deployment: FakeServiceDeployment,
  serviceArn: string,
  clusterArn: string,
): ServiceDeploymentBrief {
  const brief: ServiceDeploymentBrief = {
    serviceDeploymentArn: deployment.arn,
    serviceArn,
    clusterArn,
    createdAt: new Date(deployment.createdAt),
    startedAt: new Date(deployment.createdAt),
    targetServiceRevisionArn: deployment.target.revision,
    status: deployment.status,
  };
  if (deployment.finishedAt) brief.finishedAt = new Date(deployment.finishedAt);
  if (deployment.statusReason) brief.statusReason = deployment.statusReason;
  return brief;
}

/** A deployment as DescribeServiceDeployments describes it: revisions with their weights, stage, hooks. */
export function detailOf(
  deployment: FakeServiceDeployment,
  serviceArn: string,
  clusterArn: string,
): ServiceDeployment {
  const summary = (revision: string, weight: number) => ({
    arn: revision,
    requestedTaskCount: 2,
    runningTaskCount: 2,
    pendingTaskCount: 0,
    requestedProductionTrafficWeight: weight,
    requestedTestTrafficWeight: weight,
  });
  const detail: ServiceDeployment = {
    serviceDeploymentArn: deployment.arn,
    serviceArn,
    clusterArn,
    createdAt: new Date(deployment.createdAt),
    startedAt: new Date(deployment.createdAt),
    updatedAt: new Date(deployment.updatedAt),
    sourceServiceRevisions: [summary(deployment.source.revision, 100 - deployment.weight)],
    targetServiceRevision: summary(deployment.target.revision, deployment.weight),
    status: deployment.status,
    // The SDK's ServiceDeploymentLifecycleStage lacks PRE_PRODUCTION_TRAFFIC_SHIFT (see ecs-model.ts).
    lifecycleStage: deployment.stage as ServiceDeployment['lifecycleStage'],
    lifecycleHookDetails: structuredClone(deployment.hooks),
    deploymentConfiguration: structuredClone(deployment.configuration),
  };
  if (deployment.statusReason) detail.statusReason = deployment.statusReason;
  if (deployment.finishedAt) detail.finishedAt = new Date(deployment.finishedAt);
  if (deployment.rollback) {
    detail.rollback = {
      reason: deployment.rollback.reason,
      startedAt: new Date(deployment.rollback.startedAt),
      serviceRevisionArn: deployment.source.revision,
    };
  }
  return detail;
}
