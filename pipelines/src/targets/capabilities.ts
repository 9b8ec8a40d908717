import type { PredefinedFamily } from '../plan/predefined';
import type { ShapeKind } from '../plan/shape';
import type {
  AppRunnerTarget,
  EcsTarget,
  EksTarget,
  LambdaTarget,
  PlatformKind,
  ReleaseTarget,
} from './manifest';

/** Who moves traffic from one step to the next: Tollgate itself, or the platform on its own schedule. */
export type TrafficDriver = 'engine' | 'platform';

export type ReleaseMethodId =
  | 'lambda-alias'
  | 'lambda-codedeploy'
  | 'ecs-codedeploy'
  | 'ecs-native'
  | 'eks-ingress'
  | 'apprunner';

/** The schedule that the platform's own configuration fixes; a policy must agree with it. */
export interface ConfiguredSchedule {
  /** Where it is configured, for error messages: "CodeDeploy deployment group securecart-…". */
  where: string;
  /** A CodeDeploy configuration name the policy must name or match in shape. */
  codeDeployConfig?: string;
  /** The canary weight the platform shifts (ECS-native canary), which the policy's first step must use. */
  canaryWeight?: number;
}

/**
 * What one way of releasing a target can do. A policy is checked against it when it loads, and the
 * report states the limits of a platform-driven schedule.
 */
export interface Capabilities {
  method: ReleaseMethodId;
  /** How a release manager would say it: "Lambda alias weights, set by Tollgate at every step". */
  description: string;
  driver: TrafficDriver;
  /** The plans this method can carry out; `custom` means any list of increasing weights. */
  shapes: readonly ShapeKind[];
  /** CodeDeploy configurations this method accepts by name (none where CodeDeploy is not involved). */
  codeDeployFamily?: PredefinedFamily;
  /** Smallest weight increment, in percent. */
  weightIncrement: number;
  /** Bakes the platform runs itself are whole multiples of this (CodeDeploy counts minutes). */
  bakeIncrementMs: number;
  /**
   * How long traffic may stay at a canary weight waiting for Tollgate beyond the plan (to extend an
   * inconclusive step up to `maxBake`, or to hold it for approval): 0 when the platform moves on by
   * itself, Infinity when there is no limit.
   */
  holdMs: number;
  /** Whether a step in progress can be stopped with traffic returned to the stable revision. */
  stoppable: boolean;
  /** How traffic returns to the stable revision. */
  rollback: 'reroute' | 'stop-deployment' | 'redeploy';
  /** Platform-driven: Tollgate decides each step this long before the platform's own next shift. */
  decisionLeadMs: number;
  /**
   * Whether an all-at-once release may bake after the switch, judged against the stable version's traffic
   * of the same length just before the release: only for platforms that cannot split traffic at all.
   */
  judgesAfterReplace: boolean;
  configured?: ConfiguredSchedule;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
/** ECS's default pause-hook timeout (1440 min); after it ECS rolls the deployment back by itself. */
const ECS_PAUSE_HOOK_TIMEOUT_MS = 1440 * MINUTE;
/** CodeDeploy shifts on its own; Tollgate's last judgement of a step comes this long before that. */
const CODEDEPLOY_DECISION_LEAD_MS = 15 * SECOND;

const ENGINE_DRIVEN = {
  driver: 'engine',
  decisionLeadMs: 0,
  bakeIncrementMs: SECOND,
  judgesAfterReplace: false,
} as const;

/** What every CodeDeploy-run release shares: its shapes, whole percents and minutes, stop with rollback. */
const CODEDEPLOY_DRIVEN = {
  driver: 'platform',
  shapes: ['canary', 'linear', 'all-at-once'],
  weightIncrement: 1,
  bakeIncrementMs: MINUTE,
  holdMs: 0,
  stoppable: true,
  rollback: 'stop-deployment',
  decisionLeadMs: CODEDEPLOY_DECISION_LEAD_MS,
  judgesAfterReplace: false,
} as const;

const ANY_SHAPE = ['custom', 'canary', 'linear', 'all-at-once'] as const;

function configuredBy(group: string, config: string): { configured: ConfiguredSchedule } {
  return { configured: { where: `CodeDeploy deployment group ${group}`, codeDeployConfig: config } };
}

function lambdaMethods(target: LambdaTarget): Capabilities[] {
  const { alias, codeDeploy } = target;
  return [
    {
      ...ENGINE_DRIVEN,
      method: 'lambda-alias',
      description: `Lambda alias ${alias} weights, set by Tollgate at every step`,
      shapes: ANY_SHAPE,
      weightIncrement: 0.01,
      holdMs: Number.POSITIVE_INFINITY,
      stoppable: true,
      rollback: 'reroute',
    },
    {
      ...CODEDEPLOY_DRIVEN,
      method: 'lambda-codedeploy',
      description: `CodeDeploy deployment group ${codeDeploy.deploymentGroup}, shifting alias ${alias} on its own schedule`,
      codeDeployFamily: 'lambda',
      ...configuredBy(codeDeploy.deploymentGroup, codeDeploy.deploymentConfig),
    },
  ];
}

function ecsMethods(target: EcsTarget): Capabilities[] {
  if (target.strategy === 'codedeploy-blue-green') {
    const group = target.codeDeploy?.deploymentGroup ?? target.serviceName;
    const config = target.codeDeploy?.deploymentConfig;
    return [
      {
        ...CODEDEPLOY_DRIVEN,
        method: 'ecs-codedeploy',
        description: `CodeDeploy blue/green deployment group ${group}, shifting the load balancer on its own schedule`,
        codeDeployFamily: 'ecs',
        ...(config ? configuredBy(group, config) : {}),
      },
    ];
  }
  const canary = target.canary
    ? {
        configured: {
          where: `ECS service ${target.serviceName} (canary ${target.canary.stepPercent}%)`,
          canaryWeight: target.canary.stepPercent,
        },
      }
    : {};
  return [
    {
      ...ENGINE_DRIVEN,
      method: 'ecs-native',
      description: `ECS service ${target.serviceName} deployment, paused at each step until Tollgate continues it`,
      shapes: ['canary', 'linear'],
      weightIncrement: 0.1,
      holdMs: ECS_PAUSE_HOOK_TIMEOUT_MS,
      stoppable: true,
      rollback: 'stop-deployment',
      ...canary,
    },
  ];
}

function eksMethods(target: EksTarget): Capabilities[] {
  return [
    {
      ...ENGINE_DRIVEN,
      method: 'eks-ingress',
      description: `ALB Ingress weights between the stable and canary Deployments in ${target.namespace}, set by Tollgate`,
      shapes: ANY_SHAPE,
      weightIncrement: 1,
      holdMs: Number.POSITIVE_INFINITY,
      stoppable: true,
      rollback: 'reroute',
    },
  ];
}

function appRunnerMethods(target: AppRunnerTarget): Capabilities[] {
  return [
    {
      method: 'apprunner',
      description: `App Runner service ${target.serviceName}, replaced in place (App Runner cannot split traffic)`,
      driver: 'platform',
      shapes: ['all-at-once'],
      weightIncrement: 100,
      bakeIncrementMs: SECOND,
      holdMs: 0,
      stoppable: false,
      rollback: 'redeploy',
      decisionLeadMs: 0,
      judgesAfterReplace: true,
    },
  ];
}

/**
 * The ways Tollgate can release `target`, the default first. An empty list means the kind is described
 * in the manifest but Tollgate cannot release it yet.
 */
export function releaseMethods(target: ReleaseTarget): Capabilities[] {
  switch (target.platform) {
    case 'lambda':
      return lambdaMethods(target);
    case 'ecs':
      return ecsMethods(target);
    case 'eks':
      return eksMethods(target);
    case 'apprunner':
      return appRunnerMethods(target);
    case 'stepfunctions':
    case 'ecs-ec2':
      return [];
  }
}

/** Kinds the manifest describes that Tollgate cannot release yet, with what is planned. */
export const NOT_RELEASABLE: Partial<Record<PlatformKind, string>> = {
  stepfunctions: 'Step Functions alias routing is planned, not built',
  'ecs-ec2': 'ECS rolling services deploy with ECS circuit-breaker and alarm rollback, outside Tollgate',
};

/** The method a policy environment asks for: the target's default, or the first with that driver. */
export function chooseMethod(target: ReleaseTarget, driver?: TrafficDriver): Capabilities | undefined {
  const methods = releaseMethods(target);
  return driver === undefined ? methods[0] : methods.find((method) => method.driver === driver);
}

/** "engine-driven, custom steps, holds without limit, rolls back by rerouting" — for `tollgate plan`. */
export function describeCapabilities(capabilities: Capabilities): string[] {
  const hold =
    capabilities.holdMs === 0
      ? 'cannot hold a step: the platform moves on by itself'
      : capabilities.holdMs === Number.POSITIVE_INFINITY
        ? 'can hold a step for as long as needed'
        : `can hold a step for up to ${Math.round(capabilities.holdMs / MINUTE)} min`;
  const lines = [
    `${capabilities.description}`,
    `traffic moved by: ${capabilities.driver === 'engine' ? 'Tollgate, step by step' : 'the platform, on its own schedule'}`,
    `plans: ${capabilities.shapes.join(', ')}`,
    hold,
    capabilities.stoppable
      ? 'a step can be stopped at any time'
      : 'a deployment cannot be stopped once started',
    `rollback: ${ROLLBACK_WORDS[capabilities.rollback]}`,
  ];
  if (capabilities.driver === 'platform' && capabilities.decisionLeadMs > 0) {
    lines.push(
      `each step is decided ${capabilities.decisionLeadMs / SECOND} s before the platform's next shift; still undecided then means rolled back`,
    );
  }
  if (capabilities.configured) lines.push(`schedule fixed by ${capabilities.configured.where}`);
  return lines;
}

const ROLLBACK_WORDS: Record<Capabilities['rollback'], string> = {
  reroute: 'all traffic back to the stable revision at once',
  'stop-deployment': 'the deployment is stopped and the platform returns traffic to the stable revision',
  redeploy: 'the stable revision is deployed again (minutes, not seconds)',
};
