import type { DeploymentConfiguration, DeploymentLifecycleHook } from '@aws-sdk/client-ecs';

/**
 * The lifecycle stage before each production traffic shift of a CANARY or LINEAR deployment ("For linear
 * and canary deployments, this stage is invoked before every traffic shift step", DeploymentLifecycleHook
 * in the ECS API reference). A PAUSE hook there stops the deployment before every step until Tollgate
 * continues it. ServiceDeployment.lifecycleStage reports it although the SDK's enum of that field lacks it.
 */
export const PAUSE_STAGE = 'PRE_PRODUCTION_TRAFFIC_SHIFT';

/** The weights an ECS-native deployment moves through, as its deployment configuration fixes them. */
export interface NativeSchedule {
  strategy: 'CANARY' | 'LINEAR';
  /** Increasing, ending at 100. */
  weights: number[];
  /** "CANARY 10%", "LINEAR 20% per step": how errors name it. */
  description: string;
}

/** ECS's documented defaults (CanaryConfiguration, LinearConfiguration in the API reference). */
const DEFAULT_CANARY_PERCENT = 5;
const DEFAULT_LINEAR_PERCENT = 10;

export function scheduleOf(
  configuration: DeploymentConfiguration | undefined,
  where: string,
): NativeSchedule {
  const strategy = configuration?.strategy;
  if (strategy === 'CANARY') {
    const percent = configuration?.canaryConfiguration?.canaryPercent ?? DEFAULT_CANARY_PERCENT;
    return { strategy, weights: percent >= 100 ? [100] : [percent, 100], description: `CANARY ${percent}%` };
  }
  if (strategy === 'LINEAR') {
    const percent = configuration?.linearConfiguration?.stepPercent ?? DEFAULT_LINEAR_PERCENT;
    return { strategy, weights: linearWeights(percent), description: `LINEAR ${percent}% per step` };
  }
  throw new Error(
    `${where} deploys with the ${strategy ?? 'ROLLING'} strategy; the ecs-native method needs CANARY or LINEAR in its deployment configuration`,
  );
}

/** In tenths of a percent, as ECS counts them (multiples of 0.1), so 3 × 33.3% does not overshoot. */
function linearWeights(percent: number): number[] {
  const step = Math.round(percent * 10);
  const weights: number[] = [];
  for (let tenths = step; tenths < 1000; tenths += step) weights.push(tenths / 10);
  return [...weights, 100];
}

const same = (a: number, b: number) => Math.abs(a - b) < 1e-6;

/** The weight ECS shifts to when continued at `weight`; undefined at 100. */
export function nextWeight(schedule: NativeSchedule, weight: number): number | undefined {
  return schedule.weights.find((candidate) => candidate > weight + 1e-6);
}

/** Index of the step traffic is at: -1 before the first shift. */
export function stepIndexOf(schedule: NativeSchedule, weight: number): number {
  return schedule.weights.filter((candidate) => candidate <= weight + 1e-6).length - 1;
}

/**
 * Refuses a weight this deployment cannot move to next: one its configuration does not produce, or one
 * beyond the next step (each step is continued, and judged, on its own).
 */
export function checkNextWeight(schedule: NativeSchedule, from: number, to: number, where: string): void {
  if (!schedule.weights.some((weight) => same(weight, to))) {
    throw new RangeError(
      `${where} shifts ${schedule.weights.join('%, ')}% (${schedule.description}); it cannot shift ${to}%. Make the policy's steps those of the service's deployment configuration`,
    );
  }
  const next = nextWeight(schedule, from);
  if (next !== undefined && to > next + 1e-6) {
    throw new RangeError(`${where} is at ${from}%; its next step is ${next}%, not ${to}%`);
  }
}

/**
 * The service's deployment configuration as a release runs it: ECS's own bake between steps is 0, so the
 * deployment reaches the next pause as soon as a step's shift is done and Tollgate's bake is the only one,
 * and Tollgate's PAUSE hook stops it before every shift, rolling back if nobody continues it within
 * `holdMinutes`. Everything else (alarms, circuit breaker, the bake after 100%, other hooks) is kept.
 */
export function releaseConfiguration(
  live: DeploymentConfiguration | undefined,
  schedule: NativeSchedule,
  holdMinutes: number,
): DeploymentConfiguration {
  const configuration: DeploymentConfiguration = { ...live, strategy: schedule.strategy };
  const first = schedule.weights[0] ?? 100;
  if (schedule.strategy === 'CANARY')
    configuration.canaryConfiguration = { canaryPercent: first, canaryBakeTimeInMinutes: 0 };
  else configuration.linearConfiguration = { stepPercent: first, stepBakeTimeInMinutes: 0 };
  const others = (live?.lifecycleHooks ?? []).flatMap(withoutTollgatePause);
  configuration.lifecycleHooks = [...others, pauseHook(holdMinutes)];
  return configuration;
}

/** A hook as it stays beside Tollgate's: a PAUSE hook loses the stage Tollgate's own pause takes. */
function withoutTollgatePause(hook: DeploymentLifecycleHook): DeploymentLifecycleHook[] {
  if (hook.targetType !== 'PAUSE') return [hook];
  const stages = (hook.lifecycleStages ?? []).filter((stage) => stage !== PAUSE_STAGE);
  return stages.length > 0 ? [{ ...hook, lifecycleStages: stages }] : [];
}

export function pauseHook(holdMinutes: number): DeploymentLifecycleHook {
  return {
    targetType: 'PAUSE',
    lifecycleStages: [PAUSE_STAGE],
    timeoutConfiguration: { timeoutInMinutes: holdMinutes, action: 'ROLLBACK' },
  };
}

/** Whether a configuration pauses anywhere but before production traffic shifts (someone else's pause). */
export function pausesElsewhere(configuration: DeploymentConfiguration | undefined): boolean {
  return (configuration?.lifecycleHooks ?? []).some(
    (hook) =>
      hook.targetType === 'PAUSE' && (hook.lifecycleStages ?? []).some((stage) => stage !== PAUSE_STAGE),
  );
}
