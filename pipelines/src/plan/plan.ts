import { formatDuration } from '../policy/quantities';
import type { Strategy } from '../policy/schema';
import { PREDEFINED_CONFIGS, type PredefinedShape } from './predefined';

/** One traffic step: shift the canary to `weight`%, then bake for `bakeMs` while the gates watch. */
export interface Step {
  weight: number;
  bakeMs: number;
}

const MINUTE = 60_000;

/** Turns a strategy into explicit steps; the last step is always 100% with no bake (promotion). */
export function planSteps(strategy: Strategy): Step[] {
  if (typeof strategy !== 'string')
    return withFinalStep(strategy.steps.map((s) => ({ weight: s.weight, bakeMs: s.bake })));
  const config = PREDEFINED_CONFIGS[strategy];
  if (!config) throw new Error(`unknown deployment configuration "${strategy}"`);
  return stepsForShape(config.shape);
}

function stepsForShape(shape: PredefinedShape): Step[] {
  switch (shape.kind) {
    case 'all-at-once':
      return [{ weight: 100, bakeMs: 0 }];
    case 'canary':
      return [
        { weight: shape.percent, bakeMs: shape.minutes * MINUTE },
        { weight: 100, bakeMs: 0 },
      ];
    case 'linear': {
      const steps: Step[] = [];
      for (let weight = shape.percent; weight < 100; weight += shape.percent) {
        steps.push({ weight, bakeMs: shape.minutes * MINUTE });
      }
      return withFinalStep(steps);
    }
  }
}

function withFinalStep(steps: Step[]): Step[] {
  const last = steps.at(-1);
  return last?.weight === 100 ? steps : [...steps, { weight: 100, bakeMs: 0 }];
}

/** The longest bake of any step: a step may extend up to `maxBake` only if that is at least this. */
export function longestBake(steps: readonly Step[]): number {
  return Math.max(0, ...steps.map((step) => step.bakeMs));
}

/** Total planned time if every gate is conclusive on schedule. */
export function plannedDuration(steps: readonly Step[]): number {
  return steps.reduce((total, step) => total + step.bakeMs, 0);
}

export function formatPlan(steps: readonly Step[]): string[] {
  return steps.map((step, index) => {
    const bake = step.bakeMs > 0 ? `, bake ${formatDuration(step.bakeMs)}` : ', promote';
    return `step ${index + 1}/${steps.length}: ${step.weight}% on the new version${bake}`;
  });
}
