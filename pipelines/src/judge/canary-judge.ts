import type { Verdict } from './verdict';

/** What the judge weighs of one request: its latency and whether it faulted (trace samples are these). */
export interface JudgedSample {
  latencyMs: number;
  fault: boolean;
}

/** What the gates ask of the judge, straight from the policy (fractions, not percent). */
export interface JudgeObjectives {
  latency?: { p50Increase?: number; p99Increase?: number };
  errors?: { maxRateIncrease: number };
  minSamples: number;
}

/** One comparison of canary against baseline, explained well enough for a release manager. */
export interface Judgement {
  metric: string;
  verdict: Verdict;
  unit: 'ms' | 'ratio';
  canary?: number;
  baseline?: number;
  /** The limit the canary was held to, in `unit`. */
  threshold?: number;
  samples: { canary: number; baseline: number };
  reason: string;
  /**
   * The measured change, when the judge estimates one (see `estimateKind`): e.g. 0.23 for a canary
   * 23% slower, or 0.004 for 0.4 points more faults.
   */
  estimate?: number;
  /** What `estimate` and `interval` measure. */
  estimateKind?: 'relative change' | 'share above threshold' | 'rate difference';
  /**
   * Where the change plausibly lies, in the units of `estimate`. For the sequential judge's latency
   * test the lower end is the always-valid bound a rollback needs above the allowance and the upper
   * end the 95% bound a pass needs below it; for its tail and fault-rate tests it is the pointwise
   * Wilson interval (95% on each side).
   */
  interval?: [number, number];
  /** The test statistic (for the sequential judge: the evidence ratio against "no regression"). */
  statistic?: number;
  /** The value of `statistic` at which the verdict becomes `fail`. */
  statisticThreshold?: number;
}

/**
 * A judge for one traffic step. It is fed the samples that arrived since the last poll and answers
 * over everything it has seen in the step, so it may carry state (sums, sequential statistics).
 */
export interface CanaryJudge {
  observe(canary: readonly JudgedSample[], baseline: readonly JudgedSample[]): Judgement[];
}
