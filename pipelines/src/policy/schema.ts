import { z } from 'zod';
import { PREDEFINED_CONFIGS, PREDEFINED_NAMES } from '../plan/predefined';
import type { Strategy } from '../plan/shape';
import { PLATFORM_KINDS } from '../targets/manifest';
import { duration, percentage, positiveNumber, wholeNumber } from './quantities';
import { strategyProblems, timingProblems } from './schema-checks';

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
const name = (what: string) =>
  z
    .string({ error: `expected ${what} as text` })
    .max(63, { error: `${what} cannot be longer than 63 characters` })
    .regex(NAME_PATTERN, { error: `${what} must be lower-case letters, digits and dashes` });

/** CloudWatch alarm names: 1–255 printable characters. */
const alarmName = z
  .string({ error: 'expected an alarm name as text' })
  .min(1, { error: 'alarm names cannot be empty' })
  .max(255, { error: 'alarm names are at most 255 characters' })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters
  .regex(/^[^\u0000-\u001f\u007f]+$/, { error: 'alarm names cannot contain control characters' });

const weight = z
  .number({ error: 'expected a percentage of traffic as a number, like 10' })
  .gt(0, { error: 'weight must be above 0' })
  .max(100, { error: 'weight cannot be over 100' })
  .refine((value) => Number.isInteger(value * 100), { error: 'weight has at most two decimals' });

const customStep = z.strictObject({ weight, bake: duration.prefault('0s') });
const shapeStep = z.strictObject({ weight, bake: duration });

const ALL_AT_ONCE = 'all-at-once';

/** A strategy name: `all-at-once` or one of CodeDeploy's predefined configurations. */
const namedStrategy = z
  .string()
  .meta({
    description: 'all-at-once, or a CodeDeploy predefined configuration name',
    examples: [ALL_AT_ONCE, ...PREDEFINED_NAMES],
  })
  .transform((text, context): Strategy => {
    if (text === ALL_AT_ONCE) return { shape: { kind: 'all-at-once' } };
    const config = PREDEFINED_CONFIGS[text];
    if (config) return { shape: config.shape, codeDeployConfig: text };
    context.addIssue({
      code: 'custom',
      message: `"${text}" is not a strategy: use all-at-once, a CodeDeploy predefined configuration (CodeDeployDefault.…), or { canary | linear | steps | allAtOnce }`,
    });
    return z.NEVER;
  });

const shapedStrategy = z
  .strictObject({
    canary: shapeStep.optional(),
    linear: shapeStep.optional(),
    steps: z.array(customStep).min(1, { error: 'steps must list at least one step' }).optional(),
    /** Replace in place, then judge against the traffic before the release (targets that cannot split). */
    allAtOnce: z.strictObject({ bake: duration }).optional(),
  })
  .transform((spec, context): Strategy => {
    const given = Object.keys(spec).filter((key) => spec[key as keyof typeof spec] !== undefined);
    if (given.length !== 1) {
      context.addIssue({ code: 'custom', message: 'give exactly one of canary, linear, steps or allAtOnce' });
      return z.NEVER;
    }
    if (spec.allAtOnce) return { shape: { kind: 'all-at-once', bakeMs: spec.allAtOnce.bake } };
    if (spec.canary)
      return { shape: { kind: 'canary', weight: spec.canary.weight, bakeMs: spec.canary.bake } };
    if (spec.linear)
      return { shape: { kind: 'linear', weight: spec.linear.weight, bakeMs: spec.linear.bake } };
    const steps = (spec.steps ?? []).map((step) => ({ weight: step.weight, bakeMs: step.bake }));
    return { shape: { kind: 'custom', steps } };
  });

const strategy = z.union([namedStrategy, shapedStrategy]);

export const gatesSchema = z.strictObject({
  alarms: z.array(alarmName).max(100, { error: 'at most 100 gating alarms' }).prefault([]),
  alarmInsufficientData: z.enum(['report', 'block']).prefault('report'),
  latency: z
    .strictObject({ p50Increase: percentage(1000).optional(), p99Increase: percentage(1000).optional() })
    .refine((latency) => latency.p50Increase !== undefined || latency.p99Increase !== undefined, {
      error: 'latency needs p50Increase, p99Increase or both',
    })
    .optional(),
  errors: z.strictObject({ maxRateIncrease: percentage(100) }).optional(),
  minSamples: wholeNumber('samples', 1, 1_000_000).prefault(100),
  /**
   * Requests per second across both versions at the workload's usual load; with it, a minSamples
   * that no step can collect in its longest bake is refused when the policy loads.
   */
  expectedRequestsPerSecond: positiveNumber('requests per second', 10_000_000).optional(),
  pollInterval: duration.prefault('30s'),
  /** How long a step may bake waiting for conclusive data; default twice the step's bake. */
  maxBake: duration.optional(),
  onInconclusive: z.enum(['rollback', 'hold']).prefault('rollback'),
  maxConsecutiveErrors: wholeNumber('polls', 1, 100).prefault(3),
});

const environment = z.strictObject({
  strategy,
  /** Who moves traffic between steps; default: the target's own default (see `tollgate plan`). */
  traffic: z.enum(['engine', 'platform']).optional(),
  gates: gatesSchema.optional(),
});

export const policySchema = z
  .strictObject({
    $schema: z.string().optional(),
    workload: name('workload'),
    platform: z.enum(PLATFORM_KINDS),
    /** `semver`: every release version must be a semantic version (1.4.0, 2.0.0-rc.1). */
    versionFormat: z.enum(['semver', 'any']).prefault('any'),
    environments: z
      .record(name('environment name'), environment)
      .refine((envs) => Object.keys(envs).length > 0, {
        error: 'environments must name at least one environment',
      }),
  })
  .superRefine((policy, context) => {
    for (const [envName, env] of Object.entries(policy.environments)) {
      const at = ['environments', envName];
      for (const problem of [...strategyProblems(env.strategy), ...timingProblems(envName, env)]) {
        context.addIssue({ code: 'custom', path: [...at, ...problem.path], message: problem.message });
      }
    }
  });

export type Policy = z.output<typeof policySchema>;
export type EnvironmentPolicy = Policy['environments'][string];
export type GatePolicy = NonNullable<EnvironmentPolicy['gates']>;

/** What an environment without `gates` gets: no checks, the default timings. */
export const UNGATED: GatePolicy = gatesSchema.parse({});
