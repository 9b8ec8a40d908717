import type {
  ComputePlatform,
  CreateDeploymentConfigCommandInput,
  DeploymentConfigInfo,
  MinimumHealthyHosts,
  TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { AwsServiceError } from '../service';

interface StoredConfig {
  id: string;
  platform: ComputePlatform;
  routing?: TrafficRoutingConfig;
  minimumHealthyHosts?: MinimumHealthyHosts;
  createTime: number;
}

const canary = (percent: number, minutes: number): TrafficRoutingConfig => ({
  type: 'TimeBasedCanary',
  timeBasedCanary: { canaryPercentage: percent, canaryInterval: minutes },
});
const linear = (percent: number, minutes: number): TrafficRoutingConfig => ({
  type: 'TimeBasedLinear',
  timeBasedLinear: { linearPercentage: percent, linearInterval: minutes },
});
const ALL_AT_ONCE: TrafficRoutingConfig = { type: 'AllAtOnce' };

/**
 * CodeDeploy's predefined configurations as its user guide lists them ("Working with deployment
 * configurations"): ECS and Lambda canary, linear and all-at-once; EC2/on-premises by healthy hosts.
 */
const PREDEFINED: Record<string, Omit<StoredConfig, 'id' | 'createTime'>> = {
  'CodeDeployDefault.ECSAllAtOnce': { platform: 'ECS', routing: ALL_AT_ONCE },
  'CodeDeployDefault.ECSCanary10Percent5Minutes': { platform: 'ECS', routing: canary(10, 5) },
  'CodeDeployDefault.ECSCanary10Percent15Minutes': { platform: 'ECS', routing: canary(10, 15) },
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': { platform: 'ECS', routing: linear(10, 1) },
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': { platform: 'ECS', routing: linear(10, 3) },
  'CodeDeployDefault.LambdaAllAtOnce': { platform: 'Lambda', routing: ALL_AT_ONCE },
  'CodeDeployDefault.LambdaCanary10Percent5Minutes': { platform: 'Lambda', routing: canary(10, 5) },
  'CodeDeployDefault.LambdaCanary10Percent10Minutes': { platform: 'Lambda', routing: canary(10, 10) },
  'CodeDeployDefault.LambdaCanary10Percent15Minutes': { platform: 'Lambda', routing: canary(10, 15) },
  'CodeDeployDefault.LambdaCanary10Percent30Minutes': { platform: 'Lambda', routing: canary(10, 30) },
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute': { platform: 'Lambda', routing: linear(10, 1) },
  'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes': { platform: 'Lambda', routing: linear(10, 2) },
  'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes': { platform: 'Lambda', routing: linear(10, 3) },
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes': { platform: 'Lambda', routing: linear(10, 10) },
  'CodeDeployDefault.AllAtOnce': {
    platform: 'Server',
    minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 },
  },
  'CodeDeployDefault.HalfAtATime': {
    platform: 'Server',
    minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 50 },
  },
  'CodeDeployDefault.OneAtATime': {
    platform: 'Server',
    minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 },
  },
};

/** The predefined deployment configurations and those CreateDeploymentConfig added. */
export class DeploymentConfigs {
  private readonly configs = new Map<string, StoredConfig>();

  constructor(private readonly clock: ScaledClock) {
    for (const [name, config] of Object.entries(PREDEFINED))
      this.configs.set(name, { ...config, id: `predefined-${name}`, createTime: 0 });
  }

  /** The configuration, or DeploymentConfigDoesNotExistException. */
  get(name: string): StoredConfig {
    const config = this.configs.get(name);
    if (!config)
      throw new AwsServiceError(
        'DeploymentConfigDoesNotExistException',
        `No deployment configuration found for name: ${name}`,
      );
    return config;
  }

  info(name: string): DeploymentConfigInfo {
    const config = this.get(name);
    const info: DeploymentConfigInfo = {
      deploymentConfigId: config.id,
      deploymentConfigName: name,
      createTime: new Date(config.createTime),
      computePlatform: config.platform,
    };
    if (config.routing) info.trafficRoutingConfig = structuredClone(config.routing);
    if (config.minimumHealthyHosts) info.minimumHealthyHosts = { ...config.minimumHealthyHosts };
    return info;
  }

  create(input: CreateDeploymentConfigCommandInput): { deploymentConfigId: string } {
    const name = input.deploymentConfigName ?? '';
    if (name.startsWith('CodeDeployDefault.'))
      throw new AwsServiceError(
        'InvalidDeploymentConfigNameException',
        'The prefix CodeDeployDefault. is reserved for AWS.',
      );
    if (this.configs.has(name))
      throw new AwsServiceError(
        'DeploymentConfigAlreadyExistsException',
        `A deployment configuration named ${name} already exists`,
      );
    const platform = input.computePlatform ?? 'Server';
    const routing = input.trafficRoutingConfig;
    if (platform !== 'Server' && routing) checkRouting(routing);
    const id = `${this.configs.size + 1}`.padStart(8, '0');
    const stored: StoredConfig = { id, platform, createTime: this.clock.now() };
    if (routing) stored.routing = structuredClone(routing);
    if (input.minimumHealthyHosts) stored.minimumHealthyHosts = { ...input.minimumHealthyHosts };
    this.configs.set(name, stored);
    return { deploymentConfigId: id };
  }
}

function checkRouting(routing: TrafficRoutingConfig): void {
  const bad = (why: string) => new AwsServiceError('InvalidTrafficRoutingConfigurationException', why);
  if (routing.type === 'TimeBasedCanary') {
    const { canaryPercentage, canaryInterval } = routing.timeBasedCanary ?? {};
    if (
      !canaryPercentage ||
      canaryPercentage <= 0 ||
      canaryPercentage >= 100 ||
      !canaryInterval ||
      canaryInterval < 1
    )
      throw bad(
        'A TimeBasedCanary configuration needs canaryPercentage 1-99 and canaryInterval of at least 1 minute.',
      );
  }
  if (routing.type === 'TimeBasedLinear') {
    const { linearPercentage, linearInterval } = routing.timeBasedLinear ?? {};
    if (
      !linearPercentage ||
      linearPercentage <= 0 ||
      linearPercentage >= 100 ||
      !linearInterval ||
      linearInterval < 1
    )
      throw bad(
        'A TimeBasedLinear configuration needs linearPercentage 1-99 and linearInterval of at least 1 minute.',
      );
  }
}

/** One shift of a time-based schedule: the new revision's percent, `atMs` after traffic shifting began. */
export interface Shift {
  percent: number;
  atMs: number;
}

const MINUTE = 60_000;

/** How CodeDeploy moves traffic under a routing configuration; the last shift is to 100%. */
export function scheduleOf(routing: TrafficRoutingConfig | undefined): Shift[] {
  if (routing?.type === 'TimeBasedCanary') {
    const { canaryPercentage = 10, canaryInterval = 5 } = routing.timeBasedCanary ?? {};
    return [
      { percent: canaryPercentage, atMs: 0 },
      { percent: 100, atMs: canaryInterval * MINUTE },
    ];
  }
  if (routing?.type === 'TimeBasedLinear') {
    const { linearPercentage = 10, linearInterval = 1 } = routing.timeBasedLinear ?? {};
    const shifts: Shift[] = [];
    for (let k = 0; k * linearPercentage < 100; k += 1)
      shifts.push({ percent: Math.min(100, (k + 1) * linearPercentage), atMs: k * linearInterval * MINUTE });
    return shifts;
  }
  return [{ percent: 100, atMs: 0 }];
}
