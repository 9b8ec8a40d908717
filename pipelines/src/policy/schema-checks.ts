import { longestBake, planSteps, shortestBake } from '../plan/plan';
import type { Step, Strategy } from '../plan/shape';
import { formatDuration } from '../time/duration';

/** A problem found in a parsed policy, at the path of the field it is about. */
export interface Problem {
  path: (string | number)[];
  message: string;
}

const SECOND = 1_000;
const HOUR = 3_600_000;
/** Signals are not fresher than this; polling faster only costs API calls. */
const MIN_POLL_MS = 5 * SECOND;
/** A gate that polls less often cannot roll back within one poll of a regression that matters. */
const MAX_POLL_MS = 10 * 60 * SECOND;
const MAX_BAKE_MS = 24 * HOUR;
const MAX_EXTENDED_BAKE_MS = 48 * HOUR;

export function strategyProblems(strategy: Strategy): Problem[] {
  const { shape } = strategy;
  if (shape.kind === 'canary' || shape.kind === 'linear') {
    const at = ['strategy', shape.kind];
    if (shape.weight >= 100)
      return [{ path: [...at, 'weight'], message: `a ${shape.kind} step must stay below 100%` }];
    if (shape.bakeMs === 0)
      return [
        { path: [...at, 'bake'], message: `the ${shape.kind} step needs a bake so its gates can judge it` },
      ];
    return [];
  }
  if (shape.kind !== 'custom') return [];
  return shape.steps.flatMap((step, index) => customStepProblems(step, shape.steps[index - 1], index));
}

function customStepProblems(step: Step, previous: Step | undefined, index: number): Problem[] {
  const at = ['strategy', 'steps', index];
  if (previous && step.weight <= previous.weight) {
    return [
      {
        path: [...at, 'weight'],
        message: `weights must increase: ${step.weight} follows ${previous.weight}`,
      },
    ];
  }
  if (step.weight === 100 && step.bakeMs > 0) {
    return [
      { path: [...at, 'bake'], message: 'the 100% step cannot bake: there is no baseline left to compare' },
    ];
  }
  if (step.weight < 100 && step.bakeMs === 0) {
    return [
      { path: [...at, 'bake'], message: `the ${step.weight}% step needs a bake so its gates can judge it` },
    ];
  }
  return [];
}

interface TimedEnvironment {
  strategy: Strategy;
  gates?:
    | {
        alarms: readonly string[];
        latency?: unknown;
        errors?: unknown;
        minSamples: number;
        expectedRequestsPerSecond?: number | undefined;
        pollInterval: number;
        maxBake?: number | undefined;
      }
    | undefined;
}

/** Gating and timing problems: ungated production, polls that cannot judge a step, absurd bakes. */
export function timingProblems(envName: string, env: TimedEnvironment): Problem[] {
  const { gates } = env;
  if (!gates) {
    return isProduction(envName)
      ? [{ path: ['gates'], message: 'production releases must be gated: add alarms, latency or errors' }]
      : [];
  }
  if (gates.alarms.length === 0 && !gates.latency && !gates.errors) {
    return [{ path: ['gates'], message: 'gates must check something: add alarms, latency or errors' }];
  }
  const steps = planSteps(env.strategy.shape);
  return [
    ...pollProblems(gates.pollInterval, steps),
    ...bakeProblems(gates.maxBake, steps),
    ...sampleProblems(gates, steps),
  ];
}

/**
 * A judged step passes only with minSamples canary samples; at the expected traffic, the canary of a
 * step gets at most weight × rate × its longest bake (`maxBake`, default twice its bake) requests, and
 * traces can only be fewer. A minSamples above that can never pass.
 */
function sampleProblems(
  gates: {
    latency?: unknown;
    errors?: unknown;
    minSamples: number;
    expectedRequestsPerSecond?: number | undefined;
    maxBake?: number | undefined;
  },
  steps: readonly Step[],
): Problem[] {
  const rate = gates.expectedRequestsPerSecond;
  // An invalid rate has its own issue; nothing to check against it.
  if (rate === undefined || !(rate > 0) || (!gates.latency && !gates.errors)) return [];
  const judged = steps.filter((step) => step.weight < 100 && step.bakeMs > 0);
  const longest = (step: Step) => Math.max(step.bakeMs, gates.maxBake ?? 2 * step.bakeMs);
  const canaryRequests = (step: Step) => Math.floor((rate * step.weight * longest(step)) / 100 / SECOND);
  const short = judged.find((step) => canaryRequests(step) < gates.minSamples);
  if (!short) return [];
  const bake = formatDuration(longest(short));
  const message =
    `minSamples (${gates.minSamples.toLocaleString('en-US')}) cannot be reached: at the expected ${rate.toLocaleString('en-US')} requests/s ` +
    `the ${short.weight}% step's canary gets at most ${canaryRequests(short).toLocaleString('en-US')} requests in its longest bake of ${bake}; ` +
    'lower minSamples, bake longer (maxBake) or give that step more weight';
  return [{ path: ['gates', 'minSamples'], message }];
}

function pollProblems(pollMs: number, steps: readonly Step[]): Problem[] {
  const at = ['gates', 'pollInterval'];
  if (pollMs < MIN_POLL_MS) {
    return [
      {
        path: at,
        message: `pollInterval must be at least ${formatDuration(MIN_POLL_MS)}, got ${formatDuration(pollMs)}`,
      },
    ];
  }
  if (pollMs > MAX_POLL_MS) {
    const why = 'a gate that polls less often cannot roll back a regression in time';
    return [{ path: at, message: `pollInterval cannot be over ${formatDuration(MAX_POLL_MS)}: ${why}` }];
  }
  const shortest = shortestBake(steps);
  if (shortest > 0 && pollMs > shortest) {
    const message = `pollInterval (${formatDuration(pollMs)}) is longer than the shortest bake (${formatDuration(shortest)}): that step would end before its first poll`;
    return [{ path: at, message }];
  }
  return [];
}

function bakeProblems(maxBakeMs: number | undefined, steps: readonly Step[]): Problem[] {
  const longest = longestBake(steps);
  if (longest > MAX_BAKE_MS) {
    return [
      {
        path: ['strategy'],
        message: `a step bakes ${formatDuration(longest)}; at most ${formatDuration(MAX_BAKE_MS)} per step`,
      },
    ];
  }
  if (maxBakeMs === undefined) return [];
  const at = ['gates', 'maxBake'];
  if (maxBakeMs < longest) {
    return [
      {
        path: at,
        message: `maxBake (${formatDuration(maxBakeMs)}) is shorter than a step's bake (${formatDuration(longest)})`,
      },
    ];
  }
  if (maxBakeMs > MAX_EXTENDED_BAKE_MS) {
    return [{ path: at, message: `maxBake cannot be over ${formatDuration(MAX_EXTENDED_BAKE_MS)}` }];
  }
  return [];
}

export function isProduction(envName: string): boolean {
  return envName === 'production' || envName === 'prod';
}
