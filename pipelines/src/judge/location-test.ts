import type { Batch } from './batch';
import type { BucketCounts } from './bucket-counts';
import type { Judgement } from './canary-judge';
import { count, milliseconds, percent, signedPercent, times, tooFewSamplesReason } from './explain';
import { fewestMoreSamples, roughly } from './projection';
import { LatencySketch } from './quantile-sketch';
import { type DecisionLimits, decisionLimits, logNormalMixtureRatio, sequentialVerdict } from './sequential';
import { type Reference, WindowedReference } from './windowed-reference';

export interface LocationTestSettings {
  /** Allowed relative increase of typical latency (the policy's p50Increase), e.g. 0.05. */
  allowedIncrease: number;
  alpha: number;
  minSamples: number;
  /** Scale of the mixing distribution on the standardized shift beyond the allowance (log units). */
  tau: number;
  /** Confidence a pass needs that a slowdown of `passMargin` beyond the allowance is ruled out. */
  passLevel: number;
  /** How far beyond the allowed median a slowdown must be for a pass to rule it out, e.g. 0.2. */
  passMargin: number;
}

type Moments = { count: number; mean: number; variance: number };

/** Huber's clipping constant, in robust standard deviations of the baseline's log latency. */
const HUBER_K = 1.5;
/** Baseline samples from which the clipping's centre and scale are fixed (at the poll that brings them). */
const MIN_BASELINE_FOR_SCALE = 100;
/** Mixing scale of the pass test: about the size, in ψ units, of "20% beyond the allowance". */
const PASS_TAU = 0.15;

/**
 * Typical latency, canary vs baseline, on a log scale where a slowdown is a shift. Each log latency passes
 * through Huber's ψ (clipped at 1.5 robust standard deviations of the baseline around its median, both fixed
 * at the poll that brings the 100th baseline sample), so a heavy tail does not drown the shift. For a log-
 * shift d the contrast D(d) = mean ψ(canary − d) − the baseline's mean ψ in the same time windows, weighted
 * as the canary's samples fall; under any true shift ≤ d, D(d) ≤ 0 in expectation.
 *
 * Two one-sided normal-mixture SPRTs read it: **fail** once the evidence against "shift ≤ allowance"
 * reaches 1/alpha (sticky), **pass** while the evidence against "shift ≥ allowance + margin" is at
 * least 1/(1 − passLevel). Both are always-valid, so looking at every poll costs nothing.
 */
export class LocationTest {
  private readonly canary = new LatencySketch();
  private readonly baseline = new LatencySketch();
  private readonly windows: WindowedReference;
  private readonly failShift: number;
  private readonly passShift: number;
  /** Baseline windows that came before the clipping was fixed. */
  private pending: [number, BucketCounts][] = [];
  private clip: { centre: number; width: number } | undefined;
  private failed = false;

  constructor(private readonly settings: LocationTestSettings) {
    this.failShift = Math.log1p(settings.allowedIncrease);
    this.passShift = this.failShift + Math.log1p(settings.passMargin);
    this.windows = new WindowedReference();
  }

  observe(canary: Batch, baseline: Batch): Judgement {
    for (const [window, counts] of canary.byWindow) {
      this.canary.addCounts(counts);
      this.windows.addCanary(window, counts.total);
    }
    for (const counts of baseline.byWindow.values()) this.baseline.addCounts(counts);
    if (!this.clip && this.baseline.count >= MIN_BASELINE_FOR_SCALE) this.fixClip();
    for (const [window, counts] of baseline.byWindow) {
      if (this.clip) this.addBaselineWindow(window, counts);
      else this.pending.push([window, counts]);
    }
    return this.judge();
  }

  /** Centre and width of the clipping from the baseline so far; ψ is fixed from here on. */
  private fixClip(): void {
    const iqr = Math.log(this.baseline.quantile(0.75)) - Math.log(this.baseline.quantile(0.25));
    this.clip = {
      centre: Math.log(this.baseline.quantile(0.5)),
      width: HUBER_K * Math.max(iqr / 1.349, 0.01),
    };
    for (const [window, counts] of this.pending) this.addBaselineWindow(window, counts);
    this.pending = [];
  }

  /** A window's baseline ψ count, sum and sum of squares, bucket by bucket. */
  private addBaselineWindow(window: number, counts: BucketCounts): void {
    let sum = 0;
    let sumSquares = 0;
    counts.forEach((bucket, count) => {
      const value = this.psi(LatencySketch.logOfBucket(bucket));
      sum += count * value;
      sumSquares += count * value * value;
    });
    this.windows.addBaseline(window, counts.total, sum, sumSquares);
  }

  private psi(logValue: number): number {
    const { centre, width } = this.clip ?? { centre: 0, width: 1 };
    return Math.min(width, Math.max(-width, logValue - centre));
  }

  /** Moments of ψ over the canary, its log latencies first moved down by `shift`. */
  private canaryMoments(shift: number): Moments {
    const { centre, width } = this.clip ?? { centre: 0, width: 1 };
    return this.canary.clippedLogMoments(centre + shift, width);
  }

  /** D(shift) and its variance. */
  private contrast(shift: number, reference: Reference): { difference: number; variance: number } {
    const c = this.canaryMoments(shift);
    return {
      difference: c.mean - reference.mean,
      variance: c.variance / c.count + reference.variance * reference.factor,
    };
  }

  /** log evidence against "the shift is at most `shift`" (the fail side). */
  private failLogRatio(shift: number, reference: Reference, informationScale = 1): number {
    const { difference, variance } = this.contrast(shift, reference);
    return logNormalMixtureRatio(difference, variance / informationScale, 0, this.settings.tau);
  }

  /** log evidence against "the shift is at least `shift`" (the pass side). */
  private passLogRatio(shift: number, reference: Reference, informationScale = 1): number {
    const { difference, variance } = this.contrast(shift, reference);
    return logNormalMixtureRatio(-difference, variance / informationScale, 0, PASS_TAU);
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
      const moreCanarySamples = Math.max(0, settings.minSamples - samples.canary);
      return { metric, verdict: 'inconclusive', unit: 'ms', samples, reason, moreCanarySamples };
    }
    const evidence = decisionLimits(settings);
    const reference = this.windows.reference();
    const failLog = this.failLogRatio(this.failShift, reference);
    const passLog = this.passLogRatio(this.passShift, reference);
    const decision = sequentialVerdict(this.failed, failLog, passLog, evidence);
    this.failed = decision.failed;
    const { verdict } = decision;
    const shift = this.solve((d) => this.contrast(d, reference).difference);
    const lower = this.solve((d) => this.failLogRatio(d, reference) - evidence.fail);
    const upper = this.solve((d) => evidence.pass - this.passLogRatio(d, reference));
    const canaryMs = this.canary.quantile(0.5);
    const baselineMs = this.baseline.quantile(0.5);
    const estimate = Math.expm1(shift);
    const interval: [number, number] = [
      Math.expm1(Math.min(lower, shift)),
      Math.expm1(Math.max(upper, shift)),
    ];
    const judgement: Judgement = {
      metric,
      verdict,
      unit: 'ms',
      canary: canaryMs,
      baseline: baselineMs,
      threshold: baselineMs * (1 + settings.allowedIncrease),
      samples,
      reason: '',
      estimate,
      estimateKind: 'relative change',
      interval,
      statistic: Math.exp(failLog),
      statisticThreshold: 1 / settings.alpha,
      passBound: Math.expm1(this.passShift),
      passStatistic: Math.exp(passLog),
      passStatisticThreshold: 1 / (1 - settings.passLevel),
    };
    if (verdict === 'inconclusive') {
      const more = this.moreToDecide(reference, evidence);
      if (more !== undefined) judgement.moreCanarySamples = more;
    }
    judgement.reason = this.reason(judgement);
    return judgement;
  }

  /** Canary samples until one of the two tests decides, if the estimate holds and both sides grow alike. */
  private moreToDecide(reference: Reference, evidence: DecisionLimits): number | undefined {
    const n = this.canary.count;
    const decides = (more: number) => {
      const scale = 1 + more / n;
      return (
        this.failLogRatio(this.failShift, reference, scale) >= evidence.fail ||
        this.passLogRatio(this.passShift, reference, scale) >= evidence.pass
      );
    };
    const more = fewestMoreSamples(decides, n / 4);
    return more === undefined ? undefined : roughly(more);
  }

  private reason(j: Judgement): string {
    const allowed = `+${percent(this.settings.allowedIncrease)}`;
    const ruledOut = signedPercent(j.passBound ?? Number.NaN);
    const failEvidence = `evidence ${times(j.statistic ?? 0)} of the ${times(j.statisticThreshold ?? 0)} needed to roll back`;
    const passEvidence = `evidence ${times(j.passStatistic ?? 0)} of the ${times(j.passStatisticThreshold ?? 0)} needed to pass`;
    const [low, high] = j.interval ?? [Number.NaN, Number.NaN];
    const measured =
      `typical latency ${milliseconds(j.canary ?? Number.NaN)} on canary vs ${milliseconds(j.baseline ?? Number.NaN)} on baseline (median); ` +
      `the canary is ${slowerOrFaster(j.estimate ?? Number.NaN)} (at least ${signedPercent(low)}, at most ${signedPercent(high)})`;
    if (j.verdict === 'fail')
      return `${measured}; the canary is slower than the allowed ${allowed} (evidence ${times(j.statistic ?? 0)} reached the ${times(j.statisticThreshold ?? 0)} needed to roll back)`;
    if (j.verdict === 'pass')
      return `${measured}; a slowdown of ${ruledOut} or more is ruled out (evidence ${times(j.passStatistic ?? 0)} reached the ${times(j.passStatisticThreshold ?? 0)} needed to pass; ${failEvidence})`;
    const more =
      j.moreCanarySamples === undefined
        ? ''
        : `; needs about ${count(j.moreCanarySamples)} more canary samples to decide if it stays at ${signedPercent(j.estimate ?? Number.NaN)}`;
    return `${measured}; not yet decided: neither a slowdown beyond the allowed ${allowed} is shown (${failEvidence}) nor one of ${ruledOut} or more ruled out (${passEvidence})${more}`;
  }
}

/** "+6.3% slower", "1.1% faster". */
function slowerOrFaster(change: number): string {
  return change < 0 ? `${percent(-change)} faster` : `${signedPercent(change)} slower`;
}
