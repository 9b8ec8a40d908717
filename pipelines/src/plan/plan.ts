import { formatDuration } from '../time/duration';
import type { Shape, Step } from './shape';

/** Turns a shape into explicit steps; the last step is always 100% with no bake (promotion). */
export function planSteps(shape: Shape): Step[] {
  switch (shape.kind) {
    case 'all-at-once':
      return [{ weight: 100, bakeMs: shape.bakeMs ?? 0 }];
    case 'canary':
      return [
        { weight: shape.weight, bakeMs: shape.bakeMs },
        { weight: 100, bakeMs: 0 },
      ];
    case 'linear': {
      const steps: Step[] = [];
      // Integer tenths of a percent, so 3 × 33.3% does not drift past 100 by rounding.
      const increment = Math.round(shape.weight * 10);
      for (let tenths = increment; tenths < 1000; tenths += increment) {
        steps.push({ weight: tenths / 10, bakeMs: shape.bakeMs });
      }
      return withFinalStep(steps);
    }
    case 'custom':
      return withFinalStep(shape.steps.map((step) => ({ ...step })));
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

/** The shortest bake of a step that bakes (0 when none does). */
export function shortestBake(steps: readonly Step[]): number {
  const bakes = steps.map((step) => step.bakeMs).filter((bake) => bake > 0);
  return bakes.length === 0 ? 0 : Math.min(...bakes);
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

/** "canary 10% for 5m, then 100%" — how reports and errors name a schedule. */
export function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case 'all-at-once':
      return shape.bakeMs ? `all at once, then judged for ${formatDuration(shape.bakeMs)}` : 'all at once';
    case 'canary':
      return `canary ${shape.weight}% for ${formatDuration(shape.bakeMs)}, then 100%`;
    case 'linear':
      return `linear ${shape.weight}% every ${formatDuration(shape.bakeMs)}`;
    case 'custom':
      return `steps ${shape.steps.map((step) => `${step.weight}%/${formatDuration(step.bakeMs)}`).join(', ')}`;
  }
}
