import {
  CreateDeploymentConfigCommand,
  DeploymentConfigAlreadyExistsException,
  DeploymentConfigDoesNotExistException,
  GetDeploymentConfigCommand,
  type TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import type { AwsStub } from 'aws-sdk-client-mock';
import { PREDEFINED_CONFIGS } from '../../../src/plan/predefined';
import type { Shape } from '../../../src/plan/shape';
import { modelled } from '../../aws/validated-mock';
import { CODEDEPLOY_SDK } from './ecs-model';
import type { Refusals } from './fake-refusals';

// biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's stub is generic over every client
type AnyStub = AwsStub<any, any, any>;

/** CodeDeploy's deployment configurations: the predefined ECS ones and those created. */
export class FakeDeploymentConfigs {
  private readonly created = new Map<string, TrafficRoutingConfig>();

  install(stub: AnyStub, refusals: Refusals): void {
    stub.on(GetDeploymentConfigCommand).callsFake((input) => {
      refusals.check('GetDeploymentConfig');
      const name = input.deploymentConfigName ?? '';
      return modelled(CODEDEPLOY_SDK, 'GetDeploymentConfig', {
        deploymentConfigInfo: {
          deploymentConfigName: name,
          computePlatform: 'ECS',
          trafficRoutingConfig: this.routing(name),
        },
      });
    });
    stub.on(CreateDeploymentConfigCommand).callsFake((input) => {
      refusals.check('CreateDeploymentConfig');
      const name = input.deploymentConfigName ?? '';
      if (this.created.has(name) || PREDEFINED_CONFIGS[name])
        throw new DeploymentConfigAlreadyExistsException({ message: name, $metadata: {} });
      this.created.set(name, input.trafficRoutingConfig ?? { type: 'AllAtOnce' });
      return modelled(CODEDEPLOY_SDK, 'CreateDeploymentConfig', {
        deploymentConfigId: `cfg-${this.created.size}`,
      });
    });
  }

  routing(name: string): TrafficRoutingConfig {
    const created = this.created.get(name);
    if (created) return created;
    const predefined = PREDEFINED_CONFIGS[name];
    if (predefined?.family !== 'ecs')
      throw new DeploymentConfigDoesNotExistException({ message: `${name} does not exist`, $metadata: {} });
    return routingOf(predefined.shape);
  }
}

/** How CodeDeploy defines its predefined ECS configurations (time-based canary, linear, all at once). */
function routingOf(shape: Shape): TrafficRoutingConfig {
  const minutes = (ms: number) => ms / 60_000;
  if (shape.kind === 'canary')
    return {
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: shape.weight, canaryInterval: minutes(shape.bakeMs) },
    };
  if (shape.kind === 'linear')
    return {
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: shape.weight, linearInterval: minutes(shape.bakeMs) },
    };
  return { type: 'AllAtOnce' };
}
