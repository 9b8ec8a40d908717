import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';

/** ECS's documented defaults (CanaryConfiguration, LinearConfiguration in the ECS API reference). */
const DEFAULT_CANARY_PERCENT = 5;
const DEFAULT_CANARY_BAKE_MINUTES = 10;
const DEFAULT_LINEAR_PERCENT = 10;
const DEFAULT_LINEAR_BAKE_MINUTES = 6;

/** Whether the strategy shifts listener weights between two target groups (not a rolling update). */
export function usesTrafficShift(configuration: DeploymentConfiguration): boolean {
  const strategy = configuration.strategy;
  return strategy === 'BLUE_GREEN' || strategy === 'CANARY' || strategy === 'LINEAR';
}

/** The production traffic weights of the target revision, step by step, ending at 100. */
export function productionWeights(configuration: DeploymentConfiguration): number[] {
  if (configuration.strategy === 'CANARY') {
    const percent = configuration.canaryConfiguration?.canaryPercent ?? DEFAULT_CANARY_PERCENT;
    return percent >= 100 ? [100] : [percent, 100];
  }
  if (configuration.strategy === 'LINEAR') {
    // In tenths of a percent, as ECS counts them, so 3 × 33.3% does not overshoot.
    const step = Math.round((configuration.linearConfiguration?.stepPercent ?? DEFAULT_LINEAR_PERCENT) * 10);
    const weights: number[] = [];
    for (let tenths = step; tenths < 1000; tenths += step) weights.push(tenths / 10);
    return [...weights, 100];
  }
  return [100];
}

/** The bake between production traffic steps. */
export function stepBakeMinutes(configuration: DeploymentConfiguration): number {
  if (configuration.strategy === 'CANARY')
    return configuration.canaryConfiguration?.canaryBakeTimeInMinutes ?? DEFAULT_CANARY_BAKE_MINUTES;
  if (configuration.strategy === 'LINEAR')
    return configuration.linearConfiguration?.stepBakeTimeInMinutes ?? DEFAULT_LINEAR_BAKE_MINUTES;
  return 0;
}

const tenths = (value: number) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;
const within = (value: number | undefined, min: number, max: number) =>
  value === undefined || (value >= min && value <= max);

/**
 * What the ECS API reference states about a deployment configuration and no SDK model carries (ranges):
 * canaryPercent multiples of 0.1 in 0.1..100, stepPercent multiples of 0.1 in 3..100, bakes 0..1440,
 * hook timeouts 1..20160, PAUSE hooks not at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT.
 */
export function configurationProblems(configuration: DeploymentConfiguration): string[] {
  const problems: string[] = [];
  const canary = configuration.canaryConfiguration;
  const percent = canary?.canaryPercent;
  if (percent !== undefined && (!tenths(percent) || !within(percent, 0.1, 100)))
    problems.push(`canaryPercent ${percent} must be a multiple of 0.1 from 0.1 to 100.0`);
  if (!within(canary?.canaryBakeTimeInMinutes, 0, 1440))
    problems.push('canaryBakeTimeInMinutes must be from 0 to 1440');
  const linear = configuration.linearConfiguration;
  const step = linear?.stepPercent;
  if (step !== undefined && (!tenths(step) || !within(step, 3, 100)))
    problems.push(`stepPercent ${step} must be a multiple of 0.1 from 3.0 to 100.0`);
  if (!within(linear?.stepBakeTimeInMinutes, 0, 1440))
    problems.push('stepBakeTimeInMinutes must be from 0 to 1440');
  for (const hook of configuration.lifecycleHooks ?? []) {
    const stages = hook.lifecycleStages ?? [];
    if (stages.length === 0) problems.push('a lifecycle hook needs lifecycleStages');
    if (
      hook.targetType === 'PAUSE' &&
      stages.some((s) => s === 'TEST_TRAFFIC_SHIFT' || s === 'PRODUCTION_TRAFFIC_SHIFT')
    )
      problems.push(
        'PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages',
      );
    if (!within(hook.timeoutConfiguration?.timeoutInMinutes, 1, 20160))
      problems.push('timeoutInMinutes must be from 1 to 20160');
  }
  return problems;
}
