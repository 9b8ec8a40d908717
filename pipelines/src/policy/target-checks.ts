import { longestBake, planSteps } from '../plan/plan';
import { PREDEFINED_CONFIGS, predefinedNamesFor } from '../plan/predefined';
import type { Step, Strategy } from '../plan/shape';
import { type Capabilities, chooseMethod, NOT_RELEASABLE, releaseMethods } from '../targets/capabilities';
import type { ReleaseManifest, ReleaseTarget } from '../targets/manifest';
import { formatDuration } from '../time/duration';
import { configuredScheduleProblems } from './schedule-agreement';
import type { EnvironmentPolicy, GatePolicy, Policy } from './schema';
import type { Problem } from './schema-checks';

/** One environment of a policy, bound to its target in the release manifest and the method that releases it. */
export interface PolicyEnvironment {
  name: string;
  strategy: Strategy;
  steps: Step[];
  gates?: GatePolicy;
  target: ReleaseTarget;
  capabilities: Capabilities;
}

/**
 * Checks a parsed policy against the release manifest: the workload and each environment exist there,
 * with the same platform and alarms, and each environment asks only for what its target's release
 * method can do. Returns the bound environments, or the problems at the fields they are about.
 */
export function bindToManifest(
  policy: Policy,
  manifest: ReleaseManifest,
): { environments: Record<string, PolicyEnvironment>; problems: Problem[] } {
  const entry = manifest.workloads[policy.workload];
  if (!entry) {
    const known = Object.keys(manifest.workloads).join(', ');
    return {
      environments: {},
      problems: [
        {
          path: ['workload'],
          message: `"${policy.workload}" is not in the release manifest (known: ${known})`,
        },
      ],
    };
  }
  if (entry.platform !== policy.platform) {
    const message = `the release manifest runs ${policy.workload} on ${entry.platform}, not ${policy.platform}`;
    return { environments: {}, problems: [{ path: ['platform'], message }] };
  }
  const unreleasable = NOT_RELEASABLE[entry.platform];
  if (unreleasable) {
    return {
      environments: {},
      problems: [
        { path: ['platform'], message: `Tollgate cannot release ${entry.platform} targets: ${unreleasable}` },
      ],
    };
  }
  const environments: Record<string, PolicyEnvironment> = {};
  const problems: Problem[] = [];
  for (const [name, env] of Object.entries(policy.environments)) {
    const target = entry.environments[name];
    const at = ['environments', name];
    if (!target) {
      const known = Object.keys(entry.environments).join(', ');
      problems.push({
        path: at,
        message: `the release manifest has no "${name}" for ${policy.workload} (known: ${known})`,
      });
      continue;
    }
    const bound = bindEnvironment(name, env, target);
    problems.push(...bound.problems.map((problem) => ({ ...problem, path: [...at, ...problem.path] })));
    if (bound.environment) environments[name] = bound.environment;
  }
  return { environments, problems };
}

function bindEnvironment(
  name: string,
  env: EnvironmentPolicy,
  target: ReleaseTarget,
): { environment?: PolicyEnvironment; problems: Problem[] } {
  const capabilities = chooseMethod(target, env.traffic);
  if (!capabilities) {
    const offered = releaseMethods(target).map((method) => `${method.driver} (${method.description})`);
    const message = `traffic: ${env.traffic} is not possible here; ${target.platform} in ${name} is released by ${offered.join(' or ')}`;
    return { problems: [{ path: ['traffic'], message }] };
  }
  const steps = planSteps(env.strategy.shape);
  const problems = [
    ...shapeProblems(env.strategy, steps, capabilities),
    ...configuredScheduleProblems(env.strategy, capabilities),
    ...holdProblems(env.gates, steps, capabilities),
    ...alarmProblems(env.gates, target),
  ];
  const environment: PolicyEnvironment = { name, strategy: env.strategy, steps, target, capabilities };
  if (env.gates) environment.gates = env.gates;
  return { environment, problems };
}

function shapeProblems(strategy: Strategy, steps: readonly Step[], capabilities: Capabilities): Problem[] {
  const at = ['strategy'];
  const { shape, codeDeployConfig } = strategy;
  if (!capabilities.shapes.includes(shape.kind)) {
    const message = `${shape.kind} plans are not possible with ${capabilities.description}; possible: ${capabilities.shapes.join(', ')}`;
    return [{ path: at, message }];
  }
  if (codeDeployConfig) return codeDeployNameProblems(codeDeployConfig, capabilities);
  if (shape.kind === 'all-at-once' && shape.bakeMs && !capabilities.judgesAfterReplace) {
    const message = `an all-at-once release judged afterwards compares against the traffic before it, which only targets that cannot split traffic do; ${capabilities.description} can run a canary instead`;
    return [{ path: at, message }];
  }
  const weights = steps.filter((step) => !isMultiple(step.weight, capabilities.weightIncrement));
  if (weights.length > 0) {
    const message = `${weights.map((step) => `${step.weight}%`).join(', ')}: ${capabilities.description} moves traffic in steps of ${capabilities.weightIncrement}%`;
    return [{ path: at, message }];
  }
  if (capabilities.driver === 'platform') {
    const bakes = steps.filter((step) => !isMultiple(step.bakeMs, capabilities.bakeIncrementMs));
    if (bakes.length > 0) {
      const message = `bakes of ${bakes.map((step) => formatDuration(step.bakeMs)).join(', ')}: the platform bakes whole multiples of ${formatDuration(capabilities.bakeIncrementMs)}`;
      return [{ path: at, message }];
    }
  }
  return [];
}

function codeDeployNameProblems(name: string, capabilities: Capabilities): Problem[] {
  const family = capabilities.codeDeployFamily;
  if (!family) {
    const message = `"${name}" names a CodeDeploy configuration, but ${capabilities.description} does not use CodeDeploy; write the shape instead, e.g. { canary: { weight: 10, bake: 5m } }`;
    return [{ path: ['strategy'], message }];
  }
  if (PREDEFINED_CONFIGS[name]?.family === family) return [];
  const allowed = predefinedNamesFor(family).join(', ');
  return [{ path: ['strategy'], message: `"${name}" is not for ${family}; allowed: ${allowed}` }];
}

function holdProblems(
  gates: GatePolicy | undefined,
  steps: readonly Step[],
  capabilities: Capabilities,
): Problem[] {
  if (!gates) return [];
  const problems: Problem[] = [];
  const cannot = `${capabilities.description} cannot hold a step: the platform moves on by itself`;
  if (gates.onInconclusive === 'hold' && capabilities.holdMs === 0) {
    problems.push({
      path: ['gates', 'onInconclusive'],
      message: `${cannot}; use rollback (or an engine-driven method, traffic: engine, where the target has one)`,
    });
  }
  const extension = (gates.maxBake ?? 0) - longestBake(steps);
  if (extension > 0 && capabilities.holdMs === 0) {
    problems.push({
      path: ['gates', 'maxBake'],
      message: `${cannot}, so a step cannot bake past its planned ${formatDuration(longestBake(steps))}; remove maxBake`,
    });
  } else if (extension > capabilities.holdMs) {
    const message = `maxBake extends a step by ${formatDuration(extension)}, but ${capabilities.description} rolls back by itself after a pause of ${formatDuration(capabilities.holdMs)}`;
    problems.push({ path: ['gates', 'maxBake'], message });
  }
  return problems;
}

function alarmProblems(gates: GatePolicy | undefined, target: ReleaseTarget): Problem[] {
  return (gates?.alarms ?? []).flatMap((alarm, index) =>
    target.alarms.includes(alarm)
      ? []
      : [
          {
            path: ['gates', 'alarms', index],
            message: `"${alarm}" is not a gating alarm of this target in the release manifest (known: ${target.alarms.join(', ')})`,
          },
        ],
  );
}

function isMultiple(value: number, increment: number): boolean {
  const ratio = value / increment;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}
