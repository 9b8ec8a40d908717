import type { JudgedSample, Judgement } from './canary-judge';
import { milliseconds, percent, signedPercent, times, tooFewSamplesReason } from './explain';
import { normalQuantile } from './normal';
import { LatencySketch } from './quantile-sketch';
import { logNormalMixtureRatio } from './sequential';
import type { Verdict } from './verdict';

export interface LocationTestSettings {
  /** Allowed relative increase of typical latency (the policy's p50Increase), e.g. 0.05. */
  allowedIncrease: number;
  alpha: number;
  minSamples: number;
  /** Scale of the mixing distribution on the standardized shift beyond the allowance (log units). */
  tau: number;
  /** Confidence level of the upper bound that a pass needs below the allowance. */
  passLevel: number;
}

type Moments = { count: number; mean: number; variance: number };

/** Huber's clipping constant, in robust standard deviations of the baseline's log latency. */
const HUBER_K = 1.5;
/** Baseline samples from which the centre and scale of the clipping are fixed. */
const MIN_BASELINE_FOR_SCALE = 100;

/**
 * Typical latency, canary vs baseline: a sequential test (mSPRT with a one-sided normal mixture)
 * that the canary's latency is shifted up by more than the allowance, on a log scale where a shift
 * is a ratio. Each log latency passes through Huber's ψ (clipped at 1.5 robust standard deviations
 * of the baseline around its median, both fixed once the baseline has 100 samples), so a heavy
 * tail does not drown the shift; the tail has its own test. For an allowed log-shift δ0 the test
 * compares mean ψ(canary − δ0) with mean ψ(baseline): under any true shift ≤ δ0 the former is no
 * larger. State is two fixed-size log histograms, so a poll costs O(new samples) plus a few passes
 * over the histogram buckets, and memory does not grow.
 */
export class LocationTest {
  private readonly canary = new LatencySketch();
  private readonly baseline = new LatencySketch();
  private readonly floor: number;
  private clip: { centre: number; width: number } | undefined;
  private failed = false;

  constructor(private readonly settings: LocationTestSettings) {
    this.floor = Math.log1p(settings.allowedIncrease);
  }

  observe(canary: readonly JudgedSample[], baseline: readonly JudgedSample[]): Judgement {
    for (const sample of canary) this.canary.add(sample.latencyMs);
    for (const sample of baseline) this.baseline.add(sample.latencyMs);
    if (!this.clip && this.baseline.count >= Math.max(MIN_BASELINE_FOR_SCALE, this.settings.minSamples)) {
      const iqr = Math.log(this.baseline.quantile(0.75)) - Math.log(this.baseline.quantile(0.25));
      this.clip = {
        centre: Math.log(this.baseline.quantile(0.5)),
        width: HUBER_K * Math.max(iqr / 1.349, 0.01),
      };
    }
    return this.judge();
  }

  /** Moments of ψ over a sketch, its log latencies first moved down by `shift`. */
  private psiMoments(sketch: LatencySketch, shift: number): Moments {
    const { centre, width } = this.clip ?? { centre: 0, width: 1 };
    return sketch.clippedLogMoments(centre + shift, width);
  }

  /** Difference of mean ψ (canary shifted back by `shift`, minus baseline) and its variance. */
  private contrast(shift: number, baseline: Moments): { difference: number; variance: number } {
    const c = this.psiMoments(this.canary, shift);
    return {
      difference: c.mean - baseline.mean,
      variance: c.variance / c.count + baseline.variance / baseline.count,
    };
  }

  /** log evidence ratio against "the shift is at most `shift`". */
  private logRatio(shift: number, baseline: Moments): number {
    const { difference, variance } = this.contrast(shift, baseline);
    return logNormalMixtureRatio(difference, variance, 0, this.settings.tau);
  }

  /** The shift where `f` (decreasing in the shift) crosses zero, by bisection. */
  private solve(f: (shift: number) => number): number {
    let lo = -3;
    let hi = 3;
    if (f(lo) <= 0) return lo;
    if (f(hi) > 0) return hi;
    // 30 halvings of [−3, 3] pin the log-shift to 6e-9, far below what a reason prints.
    for (let i = 0; i < 30; i++) {
      const mid = (lo + hi) / 2;
      if (f(mid) > 0) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  }

  private judge(): Judgement {
    const { settings } = this;
    const metric = 'p50 latency';
    const samples = { canary: this.canary.count, baseline: this.baseline.count };
    if (samples.canary < settings.minSamples || samples.baseline < settings.minSamples || !this.clip) {
      const needed = Math.max(settings.minSamples, this.clip ? 0 : MIN_BASELINE_FOR_SCALE);
      const reason = tooFewSamplesReason(samples, needed);
      return { metric, verdict: 'inconclusive', unit: 'ms', samples, reason };
    }
    const logLimit = Math.log(1 / settings.alpha);
    const base = this.psiMoments(this.baseline, 0);
    const logRatio = this.logRatio(this.floor, base);
    if (logRatio >= logLimit) this.failed = true;
    const z = normalQuantile(settings.passLevel);
    const shift = this.solve((d) => this.contrast(d, base).difference);
    const lower = this.solve((d) => this.logRatio(d, base) - logLimit);
    const upper = this.solve((d) => {
      const { difference, variance } = this.contrast(d, base);
      return difference + z * Math.sqrt(variance);
    });
    const verdict: Verdict = this.failed ? 'fail' : upper <= this.floor ? 'pass' : 'inconclusive';
    const canaryMs = this.canary.quantile(0.5);
    const baselineMs = this.baseline.quantile(0.5);
    const estimate = Math.expm1(shift);
    const interval: [number, number] = [
      Math.expm1(Math.min(lower, shift)),
      Math.expm1(Math.max(upper, shift)),
    ];
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
      `typical latency ${milliseconds(canaryMs)} on canary vs ${milliseconds(baselineMs)} on baseline (median); ` +
      `the canary is ${signedPercent(estimate)} slower (at least ${signedPercent(interval[0])}, at most ${signedPercent(interval[1])}); ${outcome}`;
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
