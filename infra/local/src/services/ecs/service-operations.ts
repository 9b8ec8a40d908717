import type {
  DescribeServicesCommandInput,
  Failure,
  Service,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { AwsServiceError } from '../service';
import { randomId, serviceArn, serviceDeploymentArn } from './ecs-arns';
import type { EcsServiceRecord, EcsStore } from './ecs-store';
import { serviceView } from './ecs-views';
import { NativeDeployment } from './native-deployment';
import { configurationProblems } from './native-strategy';
import type { TaskDefinitionStore } from './task-definitions';

export interface ServiceOperationsDeps {
  clock: ScaledClock;
  store: EcsStore;
  taskDefinitions: TaskDefinitionStore;
  /** Runs a new deployment of the service in the background. */
  deploy(service: EcsServiceRecord, deployment: NativeDeployment): void;
}

export function describeServices(deps: ServiceOperationsDeps, input: DescribeServicesCommandInput) {
  const cluster = deps.store.cluster(input.cluster);
  const references = input.services ?? [];
  if (references.length > 10)
    throw new AwsServiceError('InvalidParameterException', 'services can have at most 10 items.');
  const services: Service[] = [];
  const failures: Failure[] = [];
  for (const reference of references) {
    const found = deps.store.findService(cluster, reference);
    if (found) services.push(serviceView(found));
    else
      failures.push({
        arn: serviceArn(cluster.home, cluster.name, nameOfService(reference)),
        reason: 'MISSING',
      });
  }
  return { services, failures };
}

/**
 * UpdateService: the deployment configuration and desired count change at once; a new task definition on a
 * service with the ECS controller starts a service deployment (a new service revision).
 */
export function updateService(deps: ServiceOperationsDeps, input: UpdateServiceCommandInput) {
  const service = deps.store.service(input.cluster, input.service ?? '');
  const taskDefinition = input.taskDefinition ? resolveTaskDefinition(deps, input.taskDefinition) : undefined;
  if (taskDefinition && service.controller === 'CODE_DEPLOY' && taskDefinition !== service.taskDefinition) {
    throw new AwsServiceError(
      'InvalidParameterException',
      'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    );
  }
  if (input.deploymentConfiguration) {
    const problems = configurationProblems(input.deploymentConfiguration);
    if (problems.length > 0) throw new AwsServiceError('InvalidParameterException', problems.join('; '));
  }
  const starts = taskDefinition !== undefined && taskDefinition !== service.taskDefinition;
  const inFlight = service.deployments.find((deployment) => deployment.inFlight);
  if (starts && inFlight) {
    throw new AwsServiceError(
      'InvalidParameterException',
      `The service ${service.name} has service deployment ${inFlight.arn} in progress (${inFlight.status}); wait for it to end or stop it with StopServiceDeployment before deploying another task definition.`,
    );
  }
  if (input.deploymentConfiguration)
    service.deploymentConfiguration = structuredClone(input.deploymentConfiguration);
  if (input.desiredCount !== undefined) service.desiredCount = input.desiredCount;
  if (starts) start(deps, service, taskDefinition);
  return { service: serviceView(service) };
}

function start(deps: ServiceOperationsDeps, service: EcsServiceRecord, taskDefinition: string): void {
  const { clock, store } = deps;
  const target = store.addRevision(service.cluster, service.name, taskDefinition, clock.now());
  const home = service.cluster.home;
  const arn = serviceDeploymentArn(home, service.cluster.name, service.name, randomId(21));
  const configuration = structuredClone(service.deploymentConfiguration);
  const deployment = new NativeDeployment(arn, service.live.revision, target, configuration, clock);
  service.deployments.push(deployment);
  service.taskDefinition = taskDefinition;
  deps.deploy(service, deployment);
}

function resolveTaskDefinition(deps: ServiceOperationsDeps, reference: string): string {
  const found = deps.taskDefinitions.find(reference);
  const arn = found?.taskDefinition.taskDefinitionArn;
  if (!arn || found.taskDefinition.status !== 'ACTIVE')
    throw new AwsServiceError('InvalidParameterException', 'TaskDefinition not found.');
  return arn;
}

function nameOfService(reference: string): string {
  return reference.split('/').at(-1) ?? reference;
}
