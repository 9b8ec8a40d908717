import type { CanaryJudge, JudgedSample, Judgement, JudgeObjectives } from './canary-judge';
import { ErrorRateTest } from './error-rate-test';
import { LocationTest } from './location-test';
import { TailTest } from './tail-test';

export interface SequentialJudgeOptions {
  /** The false-rollback budget of one step, shared by all tests. Default 0.01. */
  alpha?: number;
  /** Mixing scale of the latency test, in log-latency units beyond the allowance. Default 0.1. */
  tau?: number;
  /** Confidence a pass needs that the change is within the allowance. Default 0.95. */
  passLevel?: number;
}

/** Fewest samples per side any test uses, whatever the policy says; below it, variances are guesses. */
export const STATISTICAL_MIN_SAMPLES = 20;

/** How the alpha budget is split: the latency test gets 3/5, the tail and error tests 1/5 each. */
const ALPHA_WEIGHTS = { location: 3, tail: 1, errors: 1 } as const;

interface Test {
  observe(canary: readonly JudgedSample[], baseline: readonly JudgedSample[]): Judgement;
}

/**
 * Tollgate's statistical judge: a sequential latency test, a tail exceedance test and a fault-rate
 * test, each always-valid, with the alpha budget split between those the policy asks for
 * (Bonferroni), so the chance a healthy canary is ever failed in a step stays below alpha however
 * often the gate polls.
 */
export function createSequentialJudge(
  objectives: JudgeObjectives,
  options: SequentialJudgeOptions = {},
): CanaryJudge {
  const alpha = options.alpha ?? 0.01;
  const tau = options.tau ?? 0.1;
  const passLevel = options.passLevel ?? 0.95;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`alpha must be between 0 and 1, got ${alpha}`);
  const minSamples = Math.max(objectives.minSamples, STATISTICAL_MIN_SAMPLES);
  const p50Increase = objectives.latency?.p50Increase;
  const p99Increase = objectives.latency?.p99Increase;
  const maxRateIncrease = objectives.errors?.maxRateIncrease;
  const weight =
    (p50Increase === undefined ? 0 : ALPHA_WEIGHTS.location) +
    (p99Increase === undefined ? 0 : ALPHA_WEIGHTS.tail) +
    (maxRateIncrease === undefined ? 0 : ALPHA_WEIGHTS.errors);
  const share = (part: number) => (alpha * part) / weight;
  const tests: Test[] = [];
  if (p50Increase !== undefined) {
    const settings = {
      allowedIncrease: p50Increase,
      alpha: share(ALPHA_WEIGHTS.location),
      minSamples,
      tau,
      passLevel,
    };
    tests.push(new LocationTest(settings));
  }
  if (p99Increase !== undefined) {
    tests.push(
      new TailTest({ allowedIncrease: p99Increase, alpha: share(ALPHA_WEIGHTS.tail), minSamples, passLevel }),
    );
  }
  if (maxRateIncrease !== undefined) {
    tests.push(
      new ErrorRateTest({ maxRateIncrease, alpha: share(ALPHA_WEIGHTS.errors), minSamples, passLevel }),
    );
  }
  return {
    observe(canary, baseline) {
      const validCanary = canary.filter(isValid);
      const validBaseline = baseline.filter(isValid);
      return tests.map((test) => test.observe(validCanary, validBaseline));
    },
  };
}

/** A sample with a negative or non-finite latency is a broken measurement; it is left out. */
function isValid(sample: JudgedSample): boolean {
  return Number.isFinite(sample.latencyMs) && sample.latencyMs >= 0;
}
