import {
  type CodeDeployClient,
  CreateDeploymentConfigCommand,
  GetDeploymentConfigCommand,
  type TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import { aws } from '../../aws/aws-error';
import type { Shape } from '../../plan/shape';

export type CodeDeployPlatform = 'Lambda' | 'ECS';

const MINUTE = 60_000;

/**
 * The deployment configuration a release runs: the one the policy named, or a time-based one with the
 * policy's shape, created once under a name that says what it is ("Tollgate.LambdaCanary10Percent5Minutes")
 * and reused by every later release with the same shape.
 */
export async function deploymentConfigFor(
  client: CodeDeployClient,
  platform: CodeDeployPlatform,
  shape: Shape,
  named?: string,
): Promise<string> {
  if (named) return named;
  const wanted = customConfig(platform, shape);
  if (!wanted) return `CodeDeployDefault.${platform}AllAtOnce`;
  const exists = await aws(`read deployment configuration ${wanted.name}`, () =>
    client.send(new GetDeploymentConfigCommand({ deploymentConfigName: wanted.name })),
  ).then(
    () => true,
    (error: unknown) => {
      if ((error as { cause?: Error }).cause?.name === 'DeploymentConfigDoesNotExistException') return false;
      throw error;
    },
  );
  if (!exists) await create(client, platform, wanted);
  return wanted.name;
}

interface CustomConfig {
  name: string;
  routing: TrafficRoutingConfig;
}

/** The time-based configuration of a canary or linear shape; undefined for all-at-once. */
export function customConfig(platform: CodeDeployPlatform, shape: Shape): CustomConfig | undefined {
  if (shape.kind === 'canary') {
    const minutes = shape.bakeMs / MINUTE;
    return {
      name: `Tollgate.${platform}Canary${shape.weight}Percent${minutes}Minutes`,
      routing: {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: shape.weight, canaryInterval: minutes },
      },
    };
  }
  if (shape.kind === 'linear') {
    const minutes = shape.bakeMs / MINUTE;
    return {
      name: `Tollgate.${platform}Linear${shape.weight}PercentEvery${minutes}Minutes`,
      routing: {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: shape.weight, linearInterval: minutes },
      },
    };
  }
  if (shape.kind === 'custom')
    throw new Error('CodeDeploy runs only canary, linear or all-at-once schedules');
  return undefined;
}

async function create(
  client: CodeDeployClient,
  platform: CodeDeployPlatform,
  config: CustomConfig,
): Promise<void> {
  const command = new CreateDeploymentConfigCommand({
    deploymentConfigName: config.name,
    computePlatform: platform,
    trafficRoutingConfig: config.routing,
  });
  await aws(`create deployment configuration ${config.name}`, () => client.send(command)).catch(
    (error: unknown) => {
      // Another release created it between our read and our create: the same name means the same shape.
      if ((error as { cause?: Error }).cause?.name !== 'DeploymentConfigAlreadyExistsException') throw error;
    },
  );
}
