import type { Shape } from './shape';

/**
 * CodeDeploy's predefined deployment configurations for Lambda and ECS, as AWS names them (note ECS's
 * linear names end in "Minutes" even for one minute).
 */
export type PredefinedFamily = 'lambda' | 'ecs';

interface PredefinedConfig {
  family: PredefinedFamily;
  shape: Shape;
}

const MINUTE = 60_000;
const canary = (weight: number, minutes: number): Shape => ({
  kind: 'canary',
  weight,
  bakeMs: minutes * MINUTE,
});
const linear = (weight: number, minutes: number): Shape => ({
  kind: 'linear',
  weight,
  bakeMs: minutes * MINUTE,
});
const allAtOnce: Shape = { kind: 'all-at-once' };

export const PREDEFINED_CONFIGS: Readonly<Record<string, PredefinedConfig>> = {
  'CodeDeployDefault.LambdaAllAtOnce': { family: 'lambda', shape: allAtOnce },
  'CodeDeployDefault.LambdaCanary10Percent5Minutes': { family: 'lambda', shape: canary(10, 5) },
  'CodeDeployDefault.LambdaCanary10Percent10Minutes': { family: 'lambda', shape: canary(10, 10) },
  'CodeDeployDefault.LambdaCanary10Percent15Minutes': { family: 'lambda', shape: canary(10, 15) },
  'CodeDeployDefault.LambdaCanary10Percent30Minutes': { family: 'lambda', shape: canary(10, 30) },
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute': { family: 'lambda', shape: linear(10, 1) },
  'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes': { family: 'lambda', shape: linear(10, 2) },
  'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes': { family: 'lambda', shape: linear(10, 3) },
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes': { family: 'lambda', shape: linear(10, 10) },
  'CodeDeployDefault.ECSAllAtOnce': { family: 'ecs', shape: allAtOnce },
  'CodeDeployDefault.ECSCanary10Percent5Minutes': { family: 'ecs', shape: canary(10, 5) },
  'CodeDeployDefault.ECSCanary10Percent15Minutes': { family: 'ecs', shape: canary(10, 15) },
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': { family: 'ecs', shape: linear(10, 1) },
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': { family: 'ecs', shape: linear(10, 3) },
};

export const PREDEFINED_NAMES = Object.keys(PREDEFINED_CONFIGS);

export function predefinedNamesFor(family: PredefinedFamily): string[] {
  return PREDEFINED_NAMES.filter((name) => PREDEFINED_CONFIGS[name]?.family === family);
}
