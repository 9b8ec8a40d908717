import type {
  CreateDeploymentCommandInput,
  GetDeploymentTargetCommandInput,
  ListDeploymentsCommandInput,
  RegisterApplicationRevisionCommandInput,
  StopDeploymentCommandInput,
} from '@aws-sdk/client-codedeploy';
import { AwsServiceError } from '../service';
import { appSpecOf } from './appspec';
import { type CodeDeployStore, type DeploymentRecord, isActive } from './codedeploy-store';
import type { DeploymentConfigs } from './deployment-configs';
import type { TrafficDriver } from './traffic-driver';

export interface OperationsDeps {
  store: CodeDeployStore;
  configs: DeploymentConfigs;
  now(): number;
  drivers: Map<string, TrafficDriver>;
  /** Builds the deployment's driver and runs it in the background. */
  start(deployment: DeploymentRecord): void;
}

/** CreateDeployment: one active deployment per group; the AppSpec revision is registered with the application. */
export function createDeployment(deps: OperationsDeps, input: CreateDeploymentCommandInput) {
  const { store, configs } = deps;
  const group = store.group(input.applicationName, input.deploymentGroupName);
  const configName = input.deploymentConfigName ?? group.deploymentConfigName;
  const config = configs.get(configName);
  const platform = group.target.kind === 'ecs' ? 'ECS' : 'Lambda';
  if (config.platform !== platform) {
    throw new AwsServiceError(
      'InvalidDeploymentConfigNameException',
      `The deployment configuration ${configName} is for the ${config.platform} compute platform; deployment group ${group.name} deploys to ${platform}.`,
    );
  }
  const active = store.deploymentsOf(group).find(isActive);
  if (active) {
    throw new AwsServiceError(
      'DeploymentLimitExceededException',
      `The Deployment Group '${group.name}' already has an active Deployment '${active.id}'`,
    );
  }
  const spec = appSpecOf(input.revision, group.target.kind);
  if (spec.kind === 'lambda' && group.target.kind === 'lambda') {
    if (spec.functionName !== group.target.functionName || spec.alias !== group.target.alias)
      throw new AwsServiceError(
        'InvalidRevisionException',
        `The AppSpec deploys ${spec.functionName}:${spec.alias}; deployment group ${group.name} deploys ${group.target.functionName}:${group.target.alias}.`,
      );
  }
  const revision = structuredClone(input.revision ?? {});
  group.application.revisions.push({ revision, registerTime: deps.now() });
  const deployment = store.newDeployment({
    group,
    configName,
    routing: config.routing,
    revision,
    spec,
    creator: 'user',
    ...(input.description ? { description: input.description } : {}),
  });
  deps.start(deployment);
  return { deploymentId: deployment.id };
}

export function registerApplicationRevision(
  deps: OperationsDeps,
  input: RegisterApplicationRevisionCommandInput,
) {
  const application = deps.store.application(input.applicationName);
  if (!input.revision) throw new AwsServiceError('RevisionRequiredException', 'The revision is required.');
  const registered = { revision: structuredClone(input.revision), registerTime: deps.now() };
  application.revisions.push(
    input.description ? { ...registered, description: input.description } : registered,
  );
  return {};
}

export function listDeployments(deps: OperationsDeps, input: ListDeploymentsCommandInput) {
  const { store } = deps;
  if (input.deploymentGroupName && !input.applicationName)
    throw new AwsServiceError(
      'ApplicationNameRequiredException',
      'The application name is required with a deployment group name.',
    );
  const deployments = input.deploymentGroupName
    ? store.deploymentsOf(store.group(input.applicationName, input.deploymentGroupName))
    : input.applicationName
      ? [...store.deployments]
          .reverse()
          .filter((d) => d.group.application === store.application(input.applicationName))
      : [...store.deployments].reverse();
  const { start, end } = input.createTimeRange ?? {};
  const matching = deployments
    .filter((d) => !input.includeOnlyStatuses || input.includeOnlyStatuses.includes(d.status))
    .filter((d) => (!start || d.createTime >= start.getTime()) && (!end || d.createTime <= end.getTime()))
    .map((d) => d.id);
  const from = input.nextToken ? Number.parseInt(input.nextToken, 10) : 0;
  if (!Number.isInteger(from) || from < 0)
    throw new AwsServiceError('InvalidNextTokenException', 'The next token is not valid.');
  const page = matching.slice(from, from + 100);
  return { deployments: page, ...(from + 100 < matching.length ? { nextToken: String(from + 100) } : {}) };
}

export function listDeploymentTargets(deps: OperationsDeps, deploymentId: string | undefined) {
  const deployment = deps.store.deployment(deploymentId);
  const driver = deps.drivers.get(deployment.id);
  return { targetIds: driver ? [driver.targetId] : [] };
}

export function getDeploymentTarget(deps: OperationsDeps, input: GetDeploymentTargetCommandInput) {
  const deployment = deps.store.deployment(input.deploymentId);
  const driver = deps.drivers.get(deployment.id);
  if (!input.targetId)
    throw new AwsServiceError('DeploymentTargetIdRequiredException', 'A target id is required.');
  if (!driver || driver.targetId !== input.targetId)
    throw new AwsServiceError(
      'DeploymentTargetDoesNotExistException',
      `The target ${input.targetId} is not part of deployment ${deployment.id}.`,
    );
  return { deploymentTarget: driver.target(deployment) };
}

/** StopDeployment: the deployment ends Stopped; with rollback, traffic returns to the original revision. */
export function stopDeployment(deps: OperationsDeps, input: StopDeploymentCommandInput) {
  const deployment = deps.store.deployment(input.deploymentId);
  if (!isActive(deployment))
    throw new AwsServiceError(
      'DeploymentAlreadyCompletedException',
      `The deployment ${deployment.id} has already completed.`,
    );
  if (!deployment.stopRequest) {
    const { autoRollback } = deployment.group;
    const byGroup = autoRollback.enabled && autoRollback.events.includes('DEPLOYMENT_STOP_ON_REQUEST');
    deployment.stopRequest = {
      status: 'Stopped',
      code: 'MANUAL_STOP',
      message: 'The deployment was stopped by a user.',
      rollback: input.autoRollbackEnabled ?? byGroup,
    };
    deployment.signals.interrupt(deployment.stopRequest.message);
  }
  return { status: 'Pending' as const, statusMessage: 'Stopping Pending. Stopping to deploy a new revision' };
}
