import type { Step } from '../plan/shape';
import type { Capabilities } from '../targets/capabilities';

/** Float-tolerant, because 0.57 / 0.01 is 56.99999999999999 and a Lambda weight of 0.57% is fine. */
function isMultiple(value: number, increment: number): boolean {
  const ratio = value / increment;
  return Math.abs(ratio - Math.round(ratio)) < 1e-6;
}

function weightProblem(weight: number, capabilities: Capabilities): string | undefined {
  if (!Number.isFinite(weight) || weight < 0 || weight > 100)
    return `weight must be 0..100 percent, got ${weight}`;
  if (isMultiple(weight, capabilities.weightIncrement)) return undefined;
  return `weight ${weight}% is not a multiple of ${capabilities.weightIncrement}%, the smallest increment ${capabilities.method} can set`;
}

/** Refuses a canary weight the release method cannot set. */
export function checkWeight(weight: number, capabilities: Capabilities): void {
  const problem = weightProblem(weight, capabilities);
  if (problem) throw new RangeError(problem);
}

function stepProblem(steps: readonly Step[], index: number, capabilities: Capabilities): string | undefined {
  const step = steps[index];
  if (!step) return undefined;
  const weight = weightProblem(step.weight, capabilities);
  if (weight) return weight;
  const previous = steps[index - 1];
  if (previous && step.weight <= previous.weight) {
    return `weights must increase, got ${previous.weight}% then ${step.weight}%`;
  }
  if (step.bakeMs >= 0 && isMultiple(step.bakeMs, capabilities.bakeIncrementMs)) return undefined;
  return `bake ${step.bakeMs} ms is not a whole multiple of ${capabilities.bakeIncrementMs} ms, which ${capabilities.method} counts in`;
}

/** Refuses a schedule the platform could not run: weights it cannot set, bakes it cannot count, no end. */
export function checkSteps(steps: readonly Step[], capabilities: Capabilities): void {
  const last = steps.at(-1);
  if (last?.weight !== 100) {
    throw new RangeError(
      `the last step must send 100% of traffic, got ${last ? `${last.weight}%` : 'no steps'}`,
    );
  }
  for (let index = 0; index < steps.length; index += 1) {
    const problem = stepProblem(steps, index, capabilities);
    if (problem) throw new RangeError(`step ${index + 1}/${steps.length}: ${problem}`);
  }
}
