import type {
  Deployment,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceRevisionSummary,
} from '@aws-sdk/client-ecs';
import type { EcsServiceRecord } from './ecs-store';
import type { NativeDeployment } from './native-deployment';
import { taskSetView } from './task-sets';

/** A service as DescribeServices and UpdateService report it. */
export function serviceView(record: EcsServiceRecord): Service {
  const latest = record.deployments.at(-1);
  const view: Service = {
    serviceArn: record.arn,
    serviceName: record.name,
    clusterArn: record.cluster.arn,
    status: 'ACTIVE',
    desiredCount: record.desiredCount,
    runningCount: record.live.tasks?.containers.filter((container) => container.running()).length ?? 0,
    pendingCount: 0,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    taskDefinition: record.taskDefinition,
    deploymentConfiguration: structuredClone(record.deploymentConfiguration),
    deploymentController: { type: record.controller },
    createdAt: new Date(record.createdAt),
    schedulingStrategy: 'REPLICA',
    tags: structuredClone(record.tags),
  };
  if (record.loadBalancer) {
    const { region, account } = record.cluster.home;
    const group = record.loadBalancer.names.targetGroups.blue;
    const targetGroupArn = `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${group}/local`;
    view.loadBalancers = [
      { targetGroupArn, containerName: record.containerName, containerPort: record.containerPort },
    ];
  }
  if (record.controller === 'CODE_DEPLOY')
    view.taskSets = record.taskSets.map((set) => taskSetView(record, set));
  else view.deployments = deploymentsOf(record);
  if (latest) view.currentServiceDeployment = latest.arn;
  return view;
}

/** The service's `deployments`: the PRIMARY one (what the service runs now) and, mid-deployment, the other. */
function deploymentsOf(record: EcsServiceRecord): Deployment[] {
  const latest = record.deployments.at(-1);
  const primary: Deployment = {
    id: `ecs-svc/${record.live.revision.arn.split('/').at(-1)}`,
    status: 'PRIMARY',
    taskDefinition: record.taskDefinition,
    desiredCount: record.desiredCount,
    runningCount: record.desiredCount,
    pendingCount: 0,
    failedTasks: 0,
    launchType: 'FARGATE',
    createdAt: new Date(record.live.revision.createdAt),
    updatedAt: new Date(latest?.updatedAt ?? record.live.revision.createdAt),
    rolloutState: rolloutOf(latest),
  };
  if (latest?.statusReason) primary.rolloutStateReason = latest.statusReason;
  if (!latest?.inFlight) return [primary];
  const other = latest.rollingBack ? latest.target : latest.source;
  return [
    primary,
    {
      id: `ecs-svc/${other.arn.split('/').at(-1)}`,
      status: 'ACTIVE',
      taskDefinition: other.taskDefinition,
      desiredCount: record.desiredCount,
      runningCount: record.desiredCount,
      pendingCount: 0,
      failedTasks: 0,
      launchType: 'FARGATE',
      createdAt: new Date(other.createdAt),
      updatedAt: new Date(latest.updatedAt),
      rolloutState: 'COMPLETED',
    },
  ];
}

function rolloutOf(latest: NativeDeployment | undefined): Deployment['rolloutState'] {
  if (!latest || latest.status === 'SUCCESSFUL') return 'COMPLETED';
  if (latest.inFlight && !latest.rollingBack) return 'IN_PROGRESS';
  return latest.status === 'STOPPED' ? 'COMPLETED' : 'FAILED';
}

/** ListServiceDeployments' view of a deployment. */
export function briefOf(record: EcsServiceRecord, deployment: NativeDeployment): ServiceDeploymentBrief {
  const brief: ServiceDeploymentBrief = {
    serviceDeploymentArn: deployment.arn,
    serviceArn: record.arn,
    clusterArn: record.cluster.arn,
    createdAt: new Date(deployment.createdAt),
    targetServiceRevisionArn: deployment.target.arn,
    status: deployment.status,
  };
  if (deployment.startedAt !== undefined) brief.startedAt = new Date(deployment.startedAt);
  if (deployment.finishedAt !== undefined) brief.finishedAt = new Date(deployment.finishedAt);
  if (deployment.statusReason) brief.statusReason = deployment.statusReason;
  return brief;
}

/** DescribeServiceDeployments' view: revisions with their weights, stage, hooks, rollback, monitors. */
export function detailOf(record: EcsServiceRecord, deployment: NativeDeployment): ServiceDeployment {
  const running = (weight: number): ServiceRevisionSummary => ({
    requestedTaskCount: record.desiredCount,
    runningTaskCount: record.desiredCount,
    pendingTaskCount: 0,
    requestedProductionTrafficWeight: weight,
    requestedTestTrafficWeight: weight,
  });
  const target = { ...running(deployment.weight), arn: deployment.target.arn };
  target.requestedTestTrafficWeight = deployment.testWeight;
  const source = { ...running(100 - deployment.weight), arn: deployment.source.arn };
  source.requestedTestTrafficWeight = 100 - deployment.testWeight;
  const detail: ServiceDeployment = {
    serviceDeploymentArn: deployment.arn,
    serviceArn: record.arn,
    clusterArn: record.cluster.arn,
    createdAt: new Date(deployment.createdAt),
    updatedAt: new Date(deployment.updatedAt),
    sourceServiceRevisions: [source],
    targetServiceRevision: target,
    status: deployment.status,
    // PRE_PRODUCTION_TRAFFIC_SHIFT is a stage ECS reports that the SDK's enum of this field lacks.
    lifecycleStage: deployment.stage as ServiceDeployment['lifecycleStage'],
    lifecycleHookDetails: structuredClone(deployment.hooks),
    deploymentConfiguration: structuredClone(deployment.configuration),
  };
  if (deployment.startedAt !== undefined) detail.startedAt = new Date(deployment.startedAt);
  if (deployment.finishedAt !== undefined) detail.finishedAt = new Date(deployment.finishedAt);
  if (deployment.statusReason) detail.statusReason = deployment.statusReason;
  if (deployment.rollback) {
    detail.rollback = {
      reason: deployment.rollback.reason,
      startedAt: new Date(deployment.rollback.startedAt),
      serviceRevisionArn: deployment.source.arn,
    };
  }
  monitors(detail, deployment);
  return detail;
}

function monitors(detail: ServiceDeployment, deployment: NativeDeployment): void {
  const { deploymentCircuitBreaker, alarms } = deployment.configuration;
  detail.deploymentCircuitBreaker = {
    status: !deploymentCircuitBreaker?.enable
      ? 'DISABLED'
      : deployment.circuitBreakerTriggered
        ? 'TRIGGERED'
        : 'MONITORING',
    failureCount: deployment.circuitBreakerTriggered ? 1 : 0,
    threshold: 10,
  };
  const names = alarms?.alarmNames ?? [];
  detail.alarms = {
    status: !alarms?.enable ? 'DISABLED' : deployment.triggeredAlarms.length > 0 ? 'TRIGGERED' : 'MONITORING',
    alarmNames: [...names],
    triggeredAlarmNames: [...deployment.triggeredAlarms],
  };
}
