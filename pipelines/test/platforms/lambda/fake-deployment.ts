import { createHash } from 'node:crypto';
import type {
  DeploymentInfo,
  DeploymentStatus,
  ErrorCode,
  LambdaTarget,
  LifecycleEvent,
  TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';

const MINUTE = 60_000;

/** One shift of CodeDeploy's schedule: the target version's percent of traffic, held for `holdMs`. */
export interface Shift {
  percent: number;
  holdMs: number;
}

/** CodeDeploy's predefined Lambda configurations, as its documentation describes them. */
export const LAMBDA_PREDEFINED: Record<string, TrafficRoutingConfig> = {
  'CodeDeployDefault.LambdaAllAtOnce': { type: 'AllAtOnce' },
  ...Object.fromEntries(
    [5, 10, 15, 30].map((minutes) => [
      `CodeDeployDefault.LambdaCanary10Percent${minutes}Minutes`,
      { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: minutes } },
    ]),
  ),
  ...Object.fromEntries(
    [1, 2, 3, 10].map((minutes) => [
      `CodeDeployDefault.LambdaLinear10PercentEvery${minutes}Minute${minutes === 1 ? '' : 's'}`,
      { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: minutes } },
    ]),
  ),
};

/** How CodeDeploy moves traffic under a routing configuration: the shifts, the last one to 100%. */
export function schedule(routing: TrafficRoutingConfig): Shift[] {
  if (routing.type === 'TimeBasedCanary') {
    const { canaryPercentage = 0, canaryInterval = 0 } = routing.timeBasedCanary ?? {};
    return [
      { percent: canaryPercentage, holdMs: canaryInterval * MINUTE },
      { percent: 100, holdMs: 0 },
    ];
  }
  if (routing.type === 'TimeBasedLinear') {
    const { linearPercentage = 100, linearInterval = 0 } = routing.timeBasedLinear ?? {};
    const shifts: Shift[] = [];
    for (let percent = linearPercentage; percent < 100; percent += linearPercentage)
      shifts.push({ percent, holdMs: linearInterval * MINUTE });
    return [...shifts, { percent: 100, holdMs: 0 }];
  }
  return [{ percent: 100, holdMs: 0 }];
}

/** One deployment the fake CodeDeploy runs: a release's, or a rollback CodeDeploy created. */
export interface FakeDeployment {
  id: string;
  config: string;
  appSpec: string;
  description?: string;
  creator: 'user' | 'codeDeployRollback';
  fromRef: string;
  toRef: string;
  status: DeploymentStatus;
  createdAt: number;
  /** When AllowTraffic starts: CodeDeploy's schedule counts from here. */
  trafficAt: number;
  shifts: Shift[];
  /** The shift traffic is at; -1 before AllowTraffic. */
  shiftIndex: number;
  endedAt?: number;
  error?: { code: ErrorCode; message: string };
  rollbackOf?: string;
  rolledBackBy?: string;
  /** Fails on reaching this shift, for a reason no gate gave. */
  failAt?: { shiftIndex: number; code: ErrorCode; message: string };
}

export function isActive(deployment: FakeDeployment): boolean {
  return deployment.status === 'InProgress';
}

/** When shift `index` comes into force. */
export function shiftAt(deployment: FakeDeployment, index: number): number {
  const earlier = deployment.shifts.slice(0, index);
  return deployment.trafficAt + earlier.reduce((total, shift) => total + shift.holdMs, 0);
}

/** The Lambda deployment target CodeDeploy reports for `deployment` at `now`. */
export function lambdaTarget(
  deployment: FakeDeployment,
  fn: { functionName: string; alias: string; arn: string },
  now: number,
): LambdaTarget {
  return {
    deploymentId: deployment.id,
    targetId: `${fn.functionName}:${fn.alias}`,
    targetArn: `${fn.arn}:${fn.alias}`,
    status: isActive(deployment) ? 'InProgress' : deployment.status === 'Succeeded' ? 'Succeeded' : 'Failed',
    lastUpdatedAt: new Date(deployment.endedAt ?? now),
    lifecycleEvents: lifecycle(deployment, now),
    lambdaFunctionInfo: {
      functionName: fn.functionName,
      functionAlias: fn.alias,
      currentVersion: deployment.fromRef,
      targetVersion: deployment.toRef,
    },
  };
}

function lifecycle(deployment: FakeDeployment, now: number): LifecycleEvent[] {
  const started = now >= deployment.trafficAt && deployment.shiftIndex >= 0;
  const allow: LifecycleEvent['status'] = isActive(deployment)
    ? 'InProgress'
    : deployment.status === 'Succeeded'
      ? 'Succeeded'
      : 'Failed';
  const ended = deployment.endedAt === undefined ? {} : { endTime: new Date(deployment.endedAt) };
  return [
    {
      lifecycleEventName: 'BeforeAllowTraffic',
      status: started ? 'Succeeded' : 'InProgress',
      startTime: new Date(deployment.createdAt),
      ...(started ? { endTime: new Date(deployment.trafficAt) } : {}),
    },
    started
      ? {
          lifecycleEventName: 'AllowTraffic',
          status: allow,
          startTime: new Date(deployment.trafficAt),
          ...ended,
        }
      : { lifecycleEventName: 'AllowTraffic', status: 'Pending' },
    {
      lifecycleEventName: 'AfterAllowTraffic',
      status: deployment.status === 'Succeeded' ? 'Succeeded' : 'Pending',
    },
  ];
}

/** GetDeployment's view of `deployment`. */
export function deploymentInfo(
  deployment: FakeDeployment,
  group: { application: string; deploymentGroup: string },
): DeploymentInfo {
  const { application, deploymentGroup } = group;
  const rollbackInfo = deployment.rollbackOf
    ? {
        rollbackTriggeringDeploymentId: deployment.rollbackOf,
        rollbackMessage: `Rollback of ${deployment.rollbackOf}`,
      }
    : deployment.rolledBackBy
      ? { rollbackDeploymentId: deployment.rolledBackBy }
      : undefined;
  return {
    applicationName: application,
    deploymentGroupName: deploymentGroup,
    deploymentConfigName: deployment.config,
    deploymentId: deployment.id,
    revision: {
      revisionType: 'AppSpecContent',
      appSpecContent: {
        content: deployment.appSpec,
        sha256: createHash('sha256').update(deployment.appSpec).digest('hex'),
      },
    },
    status: deployment.status,
    createTime: new Date(deployment.createdAt),
    startTime: new Date(deployment.createdAt),
    creator: deployment.creator,
    computePlatform: 'Lambda',
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    ...(deployment.description ? { description: deployment.description } : {}),
    ...(deployment.endedAt === undefined ? {} : { completeTime: new Date(deployment.endedAt) }),
    ...(deployment.error ? { errorInformation: deployment.error } : {}),
    ...(rollbackInfo ? { rollbackInfo } : {}),
  };
}
