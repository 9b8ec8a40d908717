import { type DeploymentConfiguration, InvalidParameterException } from '@aws-sdk/client-ecs';

/**
 * The constraints the ECS API reference states for a CANARY or LINEAR deployment configuration, which no
 * installable model carries (the SDK's types have no ranges): the fake refuses what ECS would.
 * - CanaryConfiguration: canaryPercent multiples of 0.1 from 0.1 to 100.0; canaryBakeTimeInMinutes 0 to 1440.
 * - LinearConfiguration: stepPercent multiples of 0.1 from 3.0 to 100.0; stepBakeTimeInMinutes 0 to 1440.
 * - DeploymentLifecycleHook: "PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or
 *   PRODUCTION_TRAFFIC_SHIFT stages".
 * - DeploymentLifecycleHookTimeoutConfiguration: timeoutInMinutes 1 to 20160.
 */
export function checkDeploymentConfiguration(configuration: DeploymentConfiguration): void {
  const problems = [...strategyProblems(configuration), ...hookProblems(configuration)];
  if (problems.length > 0)
    throw new InvalidParameterException({ message: problems.join('; '), $metadata: {} });
}

const tenths = (value: number) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;
const within = (value: number | undefined, min: number, max: number) =>
  value === undefined || (value >= min && value <= max);

function strategyProblems(configuration: DeploymentConfiguration): string[] {
  const problems: string[] = [];
  const canary = configuration.canaryConfiguration;
  if (
    canary?.canaryPercent !== undefined &&
    (!tenths(canary.canaryPercent) || !within(canary.canaryPercent, 0.1, 100))
  )
    problems.push(`canaryPercent ${canary.canaryPercent} is not a multiple of 0.1 from 0.1 to 100.0`);
  if (!within(canary?.canaryBakeTimeInMinutes, 0, 1440))
    problems.push('canaryBakeTimeInMinutes must be 0 to 1440');
  const linear = configuration.linearConfiguration;
  if (
    linear?.stepPercent !== undefined &&
    (!tenths(linear.stepPercent) || !within(linear.stepPercent, 3, 100))
  )
    problems.push(`stepPercent ${linear.stepPercent} is not a multiple of 0.1 from 3.0 to 100.0`);
  if (!within(linear?.stepBakeTimeInMinutes, 0, 1440))
    problems.push('stepBakeTimeInMinutes must be 0 to 1440');
  return problems;
}

function hookProblems(configuration: DeploymentConfiguration): string[] {
  return (configuration.lifecycleHooks ?? []).flatMap((hook) => {
    const problems: string[] = [];
    const stages = hook.lifecycleStages ?? [];
    if (stages.length === 0) problems.push('a lifecycle hook needs lifecycleStages');
    if (
      hook.targetType === 'PAUSE' &&
      stages.some((s) => s === 'TEST_TRAFFIC_SHIFT' || s === 'PRODUCTION_TRAFFIC_SHIFT')
    )
      problems.push('PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT');
    if (hook.targetType === 'PAUSE' && hook.hookTargetArn)
      problems.push('a PAUSE hook takes no hookTargetArn');
    if (!within(hook.timeoutConfiguration?.timeoutInMinutes, 1, 20160))
      problems.push('timeoutInMinutes must be 1 to 20160');
    return problems;
  });
}
