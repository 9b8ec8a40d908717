import type { TraceSample } from '../signals/ports';
import type { Verdict } from './verdict';

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
}

/**
 * A judge for one traffic step. It is fed the samples that arrived since the last poll and answers
 * over everything it has seen in the step, so it may carry state (sums, sequential statistics).
 */
export interface CanaryJudge {
  observe(canary: readonly TraceSample[], baseline: readonly TraceSample[]): Judgement[];
}
