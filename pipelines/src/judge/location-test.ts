import type { TraceSample } from '../signals/ports';
import type { Judgement } from './canary-judge';
import { milliseconds, percent, signedPercent, times, tooFewSamplesReason } from './explain';
import {
  logNormalMixtureRatio,
  normalMixtureLowerBound,
  pointwiseUpperBound,
  RunningMoments,
} from './sequential';
import type { Verdict } from './verdict';

export interface LocationTestSettings {
  /** Allowed relative increase of typical latency (the policy's p50Increase), e.g. 0.05. */
  allowedIncrease: number;
  alpha: number;
  minSamples: number;
  /** Scale of the mixing distribution on the log-latency shift beyond the allowance. */
  tau: number;
  /** Confidence level of the upper bound that a pass needs below the allowance. */
  passLevel: number;
}

/**
 * Typical latency, canary vs baseline: a sequential test (mSPRT) on the difference of mean log
 * latency, i.e. the ratio of geometric means, which for log-normal latencies is the ratio of medians.
 * State is two running means/variances, so each poll costs O(new samples).
 */
export class LocationTest {
  private readonly canary = new RunningMoments();
  private readonly baseline = new RunningMoments();
  private readonly floor: number;
  private failed = false;

  constructor(private readonly settings: LocationTestSettings) {
    this.floor = Math.log1p(settings.allowedIncrease);
  }

  observe(canary: readonly TraceSample[], baseline: readonly TraceSample[]): Judgement {
    for (const sample of canary) this.canary.add(Math.log(Math.max(sample.latencyMs, 1e-3)));
    for (const sample of baseline) this.baseline.add(Math.log(Math.max(sample.latencyMs, 1e-3)));
    return this.judge();
  }

  private judge(): Judgement {
    const { settings } = this;
    const metric = 'p50 latency';
    const samples = { canary: this.canary.count, baseline: this.baseline.count };
    if (samples.canary < settings.minSamples || samples.baseline < settings.minSamples) {
      return {
        metric,
        verdict: 'inconclusive',
        unit: 'ms',
        samples,
        reason: tooFewSamplesReason(samples, settings.minSamples),
      };
    }
    const shift = this.canary.mean - this.baseline.mean;
    const variance = this.canary.variance / samples.canary + this.baseline.variance / samples.baseline;
    const logRatio = logNormalMixtureRatio(shift, variance, this.floor, settings.tau);
    const logLimit = Math.log(1 / settings.alpha);
    if (logRatio >= logLimit) this.failed = true;
    const lower = normalMixtureLowerBound(shift, variance, settings.tau, settings.alpha);
    const upper = pointwiseUpperBound(shift, variance, settings.passLevel);
    const verdict: Verdict = this.failed ? 'fail' : upper <= this.floor ? 'pass' : 'inconclusive';
    const canaryMs = Math.exp(this.canary.mean);
    const baselineMs = Math.exp(this.baseline.mean);
    const estimate = Math.expm1(shift);
    const interval: [number, number] = [Math.expm1(lower), Math.expm1(upper)];
    const statistic = Math.exp(logRatio);
    const statisticThreshold = 1 / settings.alpha;
    const allowed = `+${percent(settings.allowedIncrease)}`;
    const outcome =
      verdict === 'fail'
        ? `the canary is slower than the allowed ${allowed} (evidence ${times(statistic)} reached the ${times(statisticThreshold)} needed to roll back)`
        : verdict === 'pass'
          ? `a slowdown beyond the allowed ${allowed} is ruled out at ${percent(settings.passLevel, 0)} confidence (evidence ${times(statistic)} of the ${times(statisticThreshold)} needed to roll back)`
          : `not yet decided: a slowdown beyond the allowed ${allowed} is neither shown (evidence ${times(statistic)} of the ${times(statisticThreshold)} needed to roll back) nor ruled out`;
    const reason =
      `typical latency ${milliseconds(canaryMs)} on canary vs ${milliseconds(baselineMs)} on baseline, ` +
      `${signedPercent(estimate)} (at least ${signedPercent(interval[0])}, at most ${signedPercent(interval[1])}); ${outcome}`;
    return {
      metric,
      verdict,
      unit: 'ms',
      canary: canaryMs,
      baseline: baselineMs,
      threshold: baselineMs * (1 + settings.allowedIncrease),
      samples,
      reason,
      estimate,
      estimateKind: 'relative change',
      interval,
      statistic,
      statisticThreshold,
    };
  }
}
