import {
  type DeploymentConfiguration,
  DescribeServicesCommand,
  type ECSClient,
  type Service,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { AwsCallError, aws } from '../../aws/aws-error';
import type { EcsTarget } from '../../targets/manifest';
import { UnknownWorkloadError } from '../port';

/** The ECS service a release target names: read with DescribeServices, updated with UpdateService. */
export class EcsService {
  readonly where: string;

  constructor(
    private readonly client: ECSClient,
    private readonly target: EcsTarget,
    private readonly workload: string,
  ) {
    this.where = `ECS service ${target.serviceName} in cluster ${target.clusterName}`;
  }

  /** The service as ECS reports it now; a missing cluster or service is UnknownWorkloadError. */
  async describe(): Promise<Service> {
    const { clusterName, serviceName } = this.target;
    const command = new DescribeServicesCommand({ cluster: clusterName, services: [serviceName] });
    const { services } = await aws(`read ${this.where}`, () => this.client.send(command)).catch(
      (error: unknown) => {
        if (error instanceof AwsCallError && error.kind === 'not-found') throw this.missing();
        throw error;
      },
    );
    // A missing service is not an error to DescribeServices: it comes back in `failures` (reason MISSING).
    const service = services?.find((candidate) => candidate.serviceName === serviceName);
    if (!service || service.status === 'INACTIVE') throw this.missing();
    return service;
  }

  /** Starts a deployment of `taskDefinition` with `deploymentConfiguration`; nothing else changes. */
  async deploy(taskDefinition: string, deploymentConfiguration: DeploymentConfiguration): Promise<void> {
    const { clusterName, serviceName } = this.target;
    const command = new UpdateServiceCommand({
      cluster: clusterName,
      service: serviceName,
      taskDefinition,
      deploymentConfiguration,
    });
    await aws(`update ${this.where} to ${taskDefinition}`, () => this.client.send(command));
  }

  private missing(): UnknownWorkloadError {
    return new UnknownWorkloadError(this.workload, this.where);
  }
}
