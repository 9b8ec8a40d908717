import { z } from 'zod';
import { longestBake, planSteps } from '../plan/plan';
import {
  PREDEFINED_CONFIGS,
  PREDEFINED_NAMES,
  type PredefinedFamily,
  predefinedNamesFor,
} from '../plan/predefined';
import { duration, formatDuration, percentage } from './quantities';

export const PLATFORM_KINDS = ['lambda', 'ecs', 'eks', 'apprunner'] as const;
export type PlatformKind = (typeof PLATFORM_KINDS)[number];

/** Which CodeDeploy family of predefined shapes a platform accepts. */
const PREDEFINED_FAMILY: Record<PlatformKind, PredefinedFamily> = {
  lambda: 'lambda',
  ecs: 'ecs',
  eks: 'ecs',
  apprunner: 'ecs',
};

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
const name = (what: string) =>
  z
    .string({ error: `expected ${what} as text` })
    .regex(NAME_PATTERN, { error: `${what} must be lower-case letters, digits and dashes` });

const customStep = z.strictObject({
  weight: z
    .int({ error: 'expected a whole percentage from 1 to 100' })
    .min(1, { error: 'weight must be at least 1' })
    .max(100, { error: 'weight cannot be over 100' }),
  bake: duration.prefault('0s'),
});

const customStrategy = z.strictObject({
  steps: z.array(customStep).min(1, { error: 'steps must list at least one step' }),
});

const strategy = z.union([
  z.string().meta({ description: 'A CodeDeploy predefined configuration name', examples: PREDEFINED_NAMES }),
  customStrategy,
]);

export const gatesSchema = z.strictObject({
  alarms: z.array(z.string().min(1, { error: 'alarm names cannot be empty' })).prefault([]),
  alarmInsufficientData: z.enum(['report', 'block']).prefault('report'),
  latency: z
    .strictObject({ p50Increase: percentage.optional(), p99Increase: percentage.optional() })
    .refine((latency) => latency.p50Increase !== undefined || latency.p99Increase !== undefined, {
      error: 'latency needs p50Increase, p99Increase or both',
    })
    .optional(),
  errors: z.strictObject({ maxRateIncrease: percentage }).optional(),
  minSamples: z
    .int({ error: 'expected a whole number of samples' })
    .min(1, { error: 'minSamples must be at least 1' })
    .prefault(100),
  pollInterval: duration.prefault('30s'),
  /** How long a step may bake waiting for conclusive data; default twice the step's bake. */
  maxBake: duration.optional(),
  onInconclusive: z.enum(['rollback', 'hold']).prefault('rollback'),
  maxConsecutiveErrors: z
    .int({ error: 'expected a whole number' })
    .min(1, { error: 'maxConsecutiveErrors must be at least 1' })
    .prefault(3),
});

const environment = z.strictObject({ strategy, gates: gatesSchema.optional() });

export const policySchema = z
  .strictObject({
    $schema: z.string().optional(),
    workload: name('workload'),
    platform: z.enum(PLATFORM_KINDS),
    environments: z
      .record(name('environment name'), environment)
      .refine((envs) => Object.keys(envs).length > 0, {
        error: 'environments must name at least one environment',
      }),
  })
  .superRefine((policy, context) => {
    for (const [envName, env] of Object.entries(policy.environments)) {
      const at = ['environments', envName];
      for (const problem of strategyProblems(policy.platform, env.strategy)) {
        context.addIssue({
          code: 'custom',
          path: [...at, 'strategy', ...problem.path],
          message: problem.message,
        });
      }
      for (const problem of gateProblems(envName, env)) {
        context.addIssue({ code: 'custom', path: [...at, ...problem.path], message: problem.message });
      }
    }
  });

export type Policy = z.output<typeof policySchema>;
export type EnvironmentPolicy = Policy['environments'][string];
export type Strategy = EnvironmentPolicy['strategy'];
export type GatePolicy = NonNullable<EnvironmentPolicy['gates']>;

interface Problem {
  path: (string | number)[];
  message: string;
}

function strategyProblems(platform: PlatformKind, chosen: Strategy): Problem[] {
  if (typeof chosen === 'string') {
    const family = PREDEFINED_FAMILY[platform];
    if (PREDEFINED_CONFIGS[chosen]?.family === family) return [];
    const allowed = predefinedNamesFor(family).join(', ');
    const why = PREDEFINED_CONFIGS[chosen]
      ? `is not for ${platform}`
      : 'is not a CodeDeploy predefined configuration';
    return [
      { path: [], message: `"${chosen}" ${why}; allowed for ${platform}: ${allowed}, or custom steps` },
    ];
  }
  return chosen.steps.flatMap((step, index): Problem[] => {
    const previous = chosen.steps[index - 1];
    const at = ['steps', index];
    if (previous && step.weight <= previous.weight) {
      return [
        {
          path: [...at, 'weight'],
          message: `weights must increase: ${step.weight} follows ${previous.weight}`,
        },
      ];
    }
    if (step.weight === 100 && step.bake > 0) {
      return [
        { path: [...at, 'bake'], message: 'the 100% step cannot bake: there is no baseline left to compare' },
      ];
    }
    if (step.weight < 100 && step.bake === 0) {
      return [
        { path: [...at, 'bake'], message: `the ${step.weight}% step needs a bake so its gates can judge it` },
      ];
    }
    return [];
  });
}

function gateProblems(envName: string, env: EnvironmentPolicy): Problem[] {
  const gates = env.gates;
  if (!gates) {
    return isProduction(envName)
      ? [{ path: ['gates'], message: 'production releases must be gated: add alarms, latency or errors' }]
      : [];
  }
  if (gates.alarms.length === 0 && !gates.latency && !gates.errors) {
    return [{ path: ['gates'], message: 'gates must check something: add alarms, latency or errors' }];
  }
  if (gates.pollInterval <= 0)
    return [{ path: ['gates', 'pollInterval'], message: 'pollInterval must be above 0s' }];
  const known = typeof env.strategy !== 'string' || PREDEFINED_CONFIGS[env.strategy];
  const longest = known ? longestBake(planSteps(env.strategy)) : 0;
  if (gates.maxBake !== undefined && gates.maxBake < longest) {
    const message = `maxBake (${formatDuration(gates.maxBake)}) is shorter than a step's bake (${formatDuration(longest)})`;
    return [{ path: ['gates', 'maxBake'], message }];
  }
  return [];
}

function isProduction(envName: string): boolean {
  return envName === 'production' || envName === 'prod';
}

/** What an environment without `gates` gets: no checks, the default timings. */
export const UNGATED: GatePolicy = gatesSchema.parse({});
