import { ArrivalRate } from './arrival-rate';
import { type Batch, prepareBatch } from './batch';
import type { CanaryJudge, Judgement, JudgeObjectives } from './canary-judge';
import { ErrorRateTest } from './error-rate-test';
import { timeToGo } from './explain';
import { LocationTest } from './location-test';
import { TailTest } from './tail-test';

export interface SequentialJudgeOptions {
  /** The false-rollback budget of one step, shared by all tests. Default 0.01. */
  alpha?: number;
  /** Mixing scale of the latency test, in log-latency units beyond the allowance. Default 0.1. */
  tau?: number;
  /** Confidence a pass needs that the pass bound is ruled out (1 − its error). Default 0.95. */
  passLevel?: number;
  /** Typical latency: a pass rules out a median this much above the allowed one. Default 0.2. */
  passMargin?: number;
  /**
   * Tail: a pass rules out this share of canary requests above the allowed p99 (three times the 1%
   * a healthy tail has there). Default 0.03.
   */
  tailPassShare?: number;
  /** Faults: a pass rules out an increase of this many times the allowance. Default 2. */
  faultPassFactor?: number;
  /** Length of the time windows canary and baseline are compared in (ms). Default 30 s. */
  windowMs?: number;
}

/** Fewest samples per side any test uses, whatever the policy says; below it, variances are guesses. */
export const STATISTICAL_MIN_SAMPLES = 20;

/** How the alpha budget is split: the latency test gets 3/5, the tail and error tests 1/5 each. */
const ALPHA_WEIGHTS = { location: 3, tail: 1, errors: 1 } as const;

interface Test {
  observe(canary: Batch, baseline: Batch): Judgement;
}

/**
 * Tollgate's statistical judge: a sequential latency test, a tail exceedance test and a fault-rate
 * test, each comparing canary and baseline in the same time windows and each always-valid on both
 * sides: the alpha budget of wrongly failing a healthy canary is split between the tests the policy
 * asks for (Bonferroni), and each test passes only once the regression it guards against (its pass
 * bound) is ruled out, so a regression that large is promoted at most 1 − passLevel of the time,
 * however often the gate polls.
 */
export function createSequentialJudge(
  objectives: JudgeObjectives,
  options: SequentialJudgeOptions = {},
): CanaryJudge {
  const windowMs = options.windowMs ?? 30_000;
  const tests = testsFor(objectives, options);
  const arrivals = new ArrivalRate(windowMs);
  return {
    observe(canary, baseline) {
      const canaryBatch = prepareBatch(canary, windowMs);
      const baselineBatch = prepareBatch(baseline, windowMs);
      arrivals.add(canaryBatch);
      const perSecond = arrivals.perSecond();
      return tests.map((test) => withTimeToGo(test.observe(canaryBatch, baselineBatch), perSecond));
    },
  };
}

/** The tests the policy asks for, each with its share of alpha. */
function testsFor(objectives: JudgeObjectives, options: SequentialJudgeOptions): Test[] {
  const alpha = options.alpha ?? 0.01;
  const passLevel = options.passLevel ?? 0.95;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`);
  if (!(passLevel > 0 && passLevel < 1))
    throw new RangeError(`passLevel must be between 0 and 1, got ${passLevel}`);
  const { p50Increase, p99Increase } = objectives.latency ?? {};
  const maxRateIncrease = objectives.errors?.maxRateIncrease;
  for (const [name, allowance] of Object.entries({ p50Increase, p99Increase, maxRateIncrease })) {
    checkAllowance(name, allowance);
  }
  const weight =
    (p50Increase === undefined ? 0 : ALPHA_WEIGHTS.location) +
    (p99Increase === undefined ? 0 : ALPHA_WEIGHTS.tail) +
    (maxRateIncrease === undefined ? 0 : ALPHA_WEIGHTS.errors);
  const common = { minSamples: Math.max(objectives.minSamples, STATISTICAL_MIN_SAMPLES), passLevel };
  const alphaOf = (part: number) => (alpha * part) / weight;
  const tests: Test[] = [];
  if (p50Increase !== undefined) {
    const { tau = 0.1, passMargin = 0.2 } = options;
    tests.push(
      new LocationTest({
        ...common,
        allowedIncrease: p50Increase,
        alpha: alphaOf(ALPHA_WEIGHTS.location),
        tau,
        passMargin,
      }),
    );
  }
  if (p99Increase !== undefined) {
    const { tailPassShare: passShare = 0.03 } = options;
    tests.push(
      new TailTest({
        ...common,
        allowedIncrease: p99Increase,
        alpha: alphaOf(ALPHA_WEIGHTS.tail),
        passShare,
      }),
    );
  }
  if (maxRateIncrease !== undefined) {
    const { faultPassFactor: passFactor = 2 } = options;
    tests.push(
      new ErrorRateTest({ ...common, maxRateIncrease, alpha: alphaOf(ALPHA_WEIGHTS.errors), passFactor }),
    );
  }
  return tests;
}

/**
 * A zero allowance puts a healthy canary exactly on the rollback boundary: any difference at all,
 * however small, rolls it back once there is enough traffic. The policy refuses it; so does the judge.
 */
function checkAllowance(name: string, allowance: number | undefined): void {
  if (allowance === undefined) return;
  if (!(allowance > 0 && Number.isFinite(allowance)))
    throw new RangeError(`${name} must be above 0 (a fraction, e.g. 0.05), got ${allowance}`);
}

/** Says how long the missing samples take to arrive, when the judgement says how many it needs. */
function withTimeToGo(judgement: Judgement, perSecond: number | undefined): Judgement {
  if (perSecond === undefined || !(perSecond > 0)) return judgement;
  judgement.canaryPerSecond = perSecond;
  const more = judgement.moreCanarySamples;
  if (judgement.verdict !== 'inconclusive' || more === undefined || more <= 0) return judgement;
  judgement.reason = `${judgement.reason}; ${timeToGo(more, perSecond)}`;
  return judgement;
}
