import type { AppRunnerTarget, ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import type { RouterFactory } from '../../kubernetes/ingress-controller';
import { INITIAL_RELEASE } from '../../provisioning/initial-release';
import type { ContainerRuntime } from '../../runtime/container-runtime';
import { appRunnerMetricTable } from '../../runtime/router-metrics';
import type { AppRunnerService } from './apprunner-service';
import { appRunnerServiceId, type ServiceRecord, serviceArn } from './service-record';
import { beginOperation, serveFrom, startInstance } from './service-update';

export interface ProvisionAppRunnerOptions {
  runtime: ContainerRuntime;
  /** Starts the router behind each service URL (it vends AWS/AppRunner metrics). */
  routers: RouterFactory;
}

/**
 * A service for every App Runner target (both environments), as the infra creates it (image
 * `<imageRepository>:1.0.0`, PORT 8080, RELEASE_VERSION, the OTLP endpoint), its first instance healthy and
 * serving behind the service URL, with a CREATE_SERVICE operation that succeeded.
 */
export async function provisionAppRunner(
  service: AppRunnerService,
  manifest: ReleaseManifest,
  options: ProvisionAppRunnerOptions,
): Promise<void> {
  for (const [workload, entry] of Object.entries(manifest.workloads)) {
    for (const [environment, target] of Object.entries(entry.environments)) {
      if (target.platform !== 'apprunner') continue;
      const record = await provisionTarget(service, workload, target, options);
      service.setEntryPoint(workload, environment, record);
    }
  }
}

async function provisionTarget(
  service: AppRunnerService,
  workload: string,
  target: AppRunnerTarget,
  options: ProvisionAppRunnerOptions,
): Promise<ServiceRecord> {
  const { account, region, serviceName } = target;
  const id = appRunnerServiceId(account, region, serviceName);
  const now = service.clock.now();
  const router = await options.routers({
    name: `App Runner ${serviceName}`,
    metrics: appRunnerMetricTable({ serviceName, serviceId: id }),
  });
  const repository = target.imageRepository ?? `${account}.dkr.ecr.${region}.amazonaws.com/${workload}`;
  const record: ServiceRecord = {
    name: serviceName,
    id,
    arn: serviceArn(region, account, serviceName, id),
    account,
    region,
    workload,
    createdAt: now,
    updatedAt: now,
    status: 'OPERATION_IN_PROGRESS',
    source: {
      AutoDeploymentsEnabled: false,
      AuthenticationConfiguration: { AccessRoleArn: `arn:aws:iam::${account}:role/${serviceName}-access` },
      ImageRepository: {
        ImageIdentifier: `${repository}:${INITIAL_RELEASE}`,
        ImageRepositoryType: 'ECR',
        ImageConfiguration: {
          Port: '8080',
          RuntimeEnvironmentVariables: {
            PORT: '8080',
            RELEASE_VERSION: INITIAL_RELEASE,
            OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
          },
        },
      },
    },
    operations: [],
    tags: [],
    router,
    logGroup: `/aws/apprunner/${serviceName}/${id}/application`,
  };
  const operation = beginOperation(record, 'CREATE_SERVICE', now);
  service.addService(record, options.runtime);
  const instance = await startInstance(record, record.source, { ...service, runtime: options.runtime });
  await instance.ready;
  serveFrom(record, instance);
  operation.Status = 'SUCCEEDED';
  operation.EndedAt = new Date(service.clock.now());
  record.status = 'RUNNING';
  return record;
}
