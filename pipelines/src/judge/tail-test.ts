import type { JudgedSample, Judgement } from './canary-judge';
import { count, milliseconds, percent, times, tooFewSamplesReason } from './explain';
import { LatencySketch } from './quantile-sketch';
import { BernoulliMixtureTest, wilsonInterval } from './sequential';
import type { Verdict } from './verdict';

export interface TailTestSettings {
  /** Allowed relative increase of p99 (the policy's p99Increase), e.g. 0.1. */
  allowedIncrease: number;
  alpha: number;
  minSamples: number;
  passLevel: number;
}

/** The share of requests a healthy tail may have above its own p99. */
const TAIL_SHARE = 0.01;
/**
 * The alternatives the tail test mixes over: odds ratios 1.5–5 against the 1% a healthy tail may have
 * above the threshold, i.e. 1.5%–4.8% of canary requests above it. That is the range of tail-only
 * regressions this test exists for (a slowdown of the slowest 2% of requests puts about 2% above it;
 * even a +50% shift of every request only about 3.3%). Heavier regressions also clear the odds-5
 * alternative within a few hundred requests, and move the median, which the location test sees.
 * Every alternative in a fixed grid with fixed weights keeps the mixture a supermartingale, so the
 * grid only trades power between alternatives; four points instead of eight halve the weight on each.
 */
const TAIL_ODDS_RATIOS = [1.5, 2, 3, 5] as const;
/** Baseline samples needed before its p99 is trusted as a reference. */
const MIN_BASELINE_FOR_P99 = 100;

/**
 * The tail, canary vs baseline, as an exceedance test: the canary's p99 is within the allowance
 * exactly when at most 1% of canary requests are slower than baseline p99 × (1 + allowance). Each
 * canary request is scored against the threshold known when it arrives (from a streaming sketch of
 * the baseline), and the share above it is tested sequentially against 1%. A regression of only the
 * slowest requests, which barely moves a median or a rank test, shows up here.
 *
 * The reference is the baseline's p99 at a conservative quantile level 0.99 + √(0.0099/n) (one
 * standard error above, capped at 0.999), so a short baseline does not make a healthy canary look slow.
 */
export class TailTest {
  private readonly baselineSketch = new LatencySketch();
  private readonly canarySketch = new LatencySketch();
  private readonly test = new BernoulliMixtureTest(TAIL_ODDS_RATIOS);
  private scored = 0;
  private exceeded = 0;
  private threshold = Number.NaN;
  private failed = false;

  constructor(private readonly settings: TailTestSettings) {}

  observe(canary: readonly JudgedSample[], baseline: readonly JudgedSample[]): Judgement {
    for (const sample of baseline) this.baselineSketch.add(sample.latencyMs);
    for (const sample of canary) this.canarySketch.add(sample.latencyMs);
    const n = this.baselineSketch.count;
    if (n >= Math.max(MIN_BASELINE_FOR_P99, this.settings.minSamples) && canary.length > 0) {
      const level = Math.min(0.999, 1 - TAIL_SHARE + Math.sqrt((TAIL_SHARE * (1 - TAIL_SHARE)) / n));
      this.threshold = this.baselineSketch.quantile(level) * (1 + this.settings.allowedIncrease);
      let above = 0;
      for (const sample of canary) if (sample.latencyMs > this.threshold) above++;
      this.test.update(above, canary.length, TAIL_SHARE);
      this.scored += canary.length;
      this.exceeded += above;
    }
    return this.judge();
  }

  private judge(): Judgement {
    const { settings } = this;
    const metric = 'p99 latency';
    const samples = { canary: this.canarySketch.count, baseline: this.baselineSketch.count };
    const needed = Math.max(settings.minSamples, MIN_BASELINE_FOR_P99);
    if (
      samples.canary < settings.minSamples ||
      samples.baseline < needed ||
      this.scored < settings.minSamples
    ) {
      const reason =
        samples.canary < settings.minSamples || samples.baseline < needed
          ? tooFewSamplesReason(samples, needed)
          : `too few canary samples scored against the baseline's p99 yet: ${count(this.scored)}, need ${count(settings.minSamples)}`;
      return { metric, verdict: 'inconclusive', unit: 'ms', samples, reason };
    }
    const logRatio = this.test.logRatio;
    if (logRatio >= Math.log(1 / settings.alpha)) this.failed = true;
    const share = this.exceeded / this.scored;
    const interval = wilsonInterval(this.exceeded, this.scored, 1 - 2 * (1 - settings.passLevel));
    const verdict: Verdict = this.failed ? 'fail' : interval[1] <= TAIL_SHARE ? 'pass' : 'inconclusive';
    const statistic = Math.exp(logRatio);
    const statisticThreshold = 1 / settings.alpha;
    const canaryP99 = this.canarySketch.quantile(0.99);
    const baselineP99 = this.baselineSketch.quantile(0.99);
    const outcome =
      verdict === 'fail'
        ? `more than 1% are, so the canary's p99 is above the allowance (evidence ${times(statistic)} reached the ${times(statisticThreshold)} needed to roll back)`
        : verdict === 'pass'
          ? `at most 1% may be, which keeps the canary's p99 within the allowance at ${percent(settings.passLevel, 0)} confidence (evidence ${times(statistic)} of ${times(statisticThreshold)})`
          : `a healthy canary has at most 1% there; not yet decided (evidence ${times(statistic)} of the ${times(statisticThreshold)} needed to roll back)`;
    const reason =
      `${percent(share, 2)} of canary requests (${count(this.exceeded)} of ${count(this.scored)}, plausibly ${percent(interval[0], 2)}–${percent(interval[1], 2)}) ` +
      `were slower than ${milliseconds(this.threshold)} (baseline p99 ${milliseconds(baselineP99)} + ${percent(settings.allowedIncrease)}); ${outcome}`;
    return {
      metric,
      verdict,
      unit: 'ms',
      canary: canaryP99,
      baseline: baselineP99,
      threshold: this.threshold,
      samples,
      reason,
      estimate: share,
      estimateKind: 'share above threshold',
      interval,
      statistic,
      statisticThreshold,
    };
  }
}
