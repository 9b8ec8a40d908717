import type { Verdict } from './verdict';

/**
 * What the judge weighs of one request: when it started, its latency and whether it faulted (trace
 * samples are these). The request time lets the judge compare canary and baseline within the same
 * time windows, so drift that affects both versions cancels out.
 */
export interface JudgedSample {
  /** When the request started (ms since the epoch). */
  at: number;
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
  /** What `estimate`, `interval` and `passBound` measure. */
  estimateKind?: 'relative change' | 'share above threshold' | 'rate difference';
  /**
   * Where the change plausibly lies, in the units of `estimate`. For the sequential judge's latency
   * test both ends are always-valid: the lower end is the bound a rollback needs above the allowance,
   * the upper end the bound a pass needs below `passBound`. For its tail and fault-rate tests it is a
   * pointwise interval (95% on each side), for reading only.
   */
  interval?: [number, number];
  /** The test statistic (for the sequential judge: the evidence ratio against "no regression"). */
  statistic?: number;
  /** The value of `statistic` at which the verdict becomes `fail`. */
  statisticThreshold?: number;
  /**
   * The regression a pass rules out, in the units of `estimate`: the verdict is `pass` once a change
   * this large or larger is ruled out (always-valid), e.g. 0.224 for "+22.4% slower or more".
   */
  passBound?: number;
  /** The evidence ratio against "a regression of `passBound` or more". */
  passStatistic?: number;
  /** The value of `passStatistic` at which the verdict becomes `pass`. */
  passStatisticThreshold?: number;
  /**
   * While undecided: about how many more canary samples the test needs to decide, if the canary
   * keeps behaving as it has so far (or to reach the minimum sample count).
   */
  moreCanarySamples?: number;
  /** Canary samples per second over the last few minutes of request times (when known). */
  canaryPerSecond?: number;
}

/**
 * A judge for one traffic step. It is fed the samples that arrived since the last poll and answers
 * over everything it has seen in the step, so it may carry state (sums, sequential statistics).
 */
export interface CanaryJudge {
  observe(canary: readonly JudgedSample[], baseline: readonly JudgedSample[]): Judgement[];
}
