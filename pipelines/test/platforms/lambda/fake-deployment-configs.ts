import {
  type CreateDeploymentConfigInput,
  DeploymentConfigAlreadyExistsException,
  DeploymentConfigDoesNotExistException,
  type TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import { LAMBDA_PREDEFINED } from './fake-deployment';

/** CodeDeploy's deployment configurations: the predefined Lambda ones, and those created since. */
export class FakeDeploymentConfigs {
  private readonly configs = new Map<string, TrafficRoutingConfig>(Object.entries(LAMBDA_PREDEFINED));

  routing(name: string): TrafficRoutingConfig {
    const routing = this.configs.get(name);
    if (!routing) throw configMissing(name);
    return routing;
  }

  get(name: string | undefined): object {
    const routing = name ? this.configs.get(name) : undefined;
    if (!name || !routing) throw configMissing(name ?? '');
    return {
      deploymentConfigInfo: {
        deploymentConfigId: `config-${name}`,
        deploymentConfigName: name,
        computePlatform: 'Lambda',
        trafficRoutingConfig: routing,
      },
    };
  }

  create(input: CreateDeploymentConfigInput): { deploymentConfigId: string } {
    const name = input.deploymentConfigName ?? '';
    if (this.configs.has(name)) {
      throw new DeploymentConfigAlreadyExistsException({
        $metadata: { httpStatusCode: 400 },
        message: `A deployment configuration named ${name} already exists`,
      });
    }
    this.configs.set(name, input.trafficRoutingConfig ?? { type: 'AllAtOnce' });
    return { deploymentConfigId: `config-${name}` };
  }
}

function configMissing(name: string): Error {
  return new DeploymentConfigDoesNotExistException({
    $metadata: { httpStatusCode: 400 },
    message: `No deployment configuration found for name: ${name}`,
  });
}
