import type {
  ContinueServiceDeploymentCommandInput,
  DescribeServiceDeploymentsCommandInput,
  DescribeServiceRevisionsCommandInput,
  ListServiceDeploymentsCommandInput,
  ServiceRevision,
  StopServiceDeploymentCommandInput,
} from '@aws-sdk/client-ecs';
import { AwsServiceError } from '../service';
import type { EcsServiceRecord, EcsStore } from './ecs-store';
import { briefOf, detailOf } from './ecs-views';
import type { NativeDeployment } from './native-deployment';

/** ListServiceDeployments: newest first, filtered by status and creation time, in pages. */
export function listServiceDeployments(store: EcsStore, input: ListServiceDeploymentsCommandInput) {
  const service = store.service(input.cluster, input.service ?? '');
  const { before, after } = input.createdAt ?? {};
  const matching = [...service.deployments]
    .reverse()
    .filter((deployment) => !input.status || input.status.includes(deployment.status))
    .filter((deployment) => !after || deployment.createdAt >= after.getTime())
    .filter((deployment) => !before || deployment.createdAt <= before.getTime());
  const start = input.nextToken ? Number.parseInt(input.nextToken, 10) : 0;
  if (!Number.isInteger(start) || start < 0)
    throw new AwsServiceError('InvalidParameterException', 'The nextToken is not valid.');
  const size = input.maxResults ?? 20;
  const page = matching.slice(start, start + size).map((deployment) => briefOf(service, deployment));
  return {
    serviceDeployments: page,
    ...(start + size < matching.length ? { nextToken: String(start + size) } : {}),
  };
}

export function describeServiceDeployments(store: EcsStore, input: DescribeServiceDeploymentsCommandInput) {
  const found = (input.serviceDeploymentArns ?? []).flatMap((arn) => {
    const hit = findDeployment(store, arn);
    return hit ? [detailOf(hit.service, hit.deployment)] : [];
  });
  const failures = (input.serviceDeploymentArns ?? [])
    .filter((arn) => !found.some((deployment) => deployment.serviceDeploymentArn === arn))
    .map((arn) => ({ arn, reason: 'MISSING', detail: 'The service deployment does not exist.' }));
  return { serviceDeployments: found, failures };
}

export function describeServiceRevisions(store: EcsStore, input: DescribeServiceRevisionsCommandInput) {
  const serviceRevisions: ServiceRevision[] = [];
  const failures: { arn: string; reason: string }[] = [];
  for (const arn of input.serviceRevisionArns ?? []) {
    const revision = store.findRevision(arn);
    const service = store.serviceOfResource(arn);
    if (!revision || !service) {
      failures.push({ arn, reason: 'MISSING' });
      continue;
    }
    serviceRevisions.push({
      serviceRevisionArn: arn,
      serviceArn: service.arn,
      clusterArn: service.cluster.arn,
      taskDefinition: revision.taskDefinition,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      createdAt: new Date(revision.createdAt),
    });
  }
  return { serviceRevisions, failures };
}

export function continueServiceDeployment(store: EcsStore, input: ContinueServiceDeploymentCommandInput) {
  const { deployment } = requireDeployment(store, input.serviceDeploymentArn ?? '');
  deployment.answer(input.hookId ?? '', input.action ?? 'CONTINUE');
  return { serviceDeploymentArn: deployment.arn };
}

export function stopServiceDeployment(store: EcsStore, input: StopServiceDeploymentCommandInput) {
  const { deployment } = requireDeployment(store, input.serviceDeploymentArn ?? '');
  const stopType = input.stopType ?? 'ROLLBACK';
  const reason =
    stopType === 'ROLLBACK'
      ? 'Service deployment rolled back because of a StopServiceDeployment request.'
      : 'Service deployment stopped because of a StopServiceDeployment request.';
  deployment.requestStop(reason, stopType);
  return { serviceDeploymentArn: deployment.arn };
}

function findDeployment(
  store: EcsStore,
  arn: string,
): { service: EcsServiceRecord; deployment: NativeDeployment } | undefined {
  const service = store.serviceOfResource(arn);
  const deployment = service?.deployments.find((candidate) => candidate.arn === arn);
  return service && deployment ? { service, deployment } : undefined;
}

function requireDeployment(store: EcsStore, arn: string) {
  const hit = findDeployment(store, arn);
  if (!hit)
    throw new AwsServiceError(
      'ServiceDeploymentNotFoundException',
      `The service deployment ${arn} does not exist.`,
    );
  return hit;
}
