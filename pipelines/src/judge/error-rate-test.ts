import type { JudgedSample, Judgement } from './canary-judge';
import { count, percent, times, tooFewSamplesReason } from './explain';
import { BernoulliMixtureTest, wilsonInterval } from './sequential';
import type { Verdict } from './verdict';

export interface ErrorRateTestSettings {
  /** Allowed increase of the fault rate in fraction-points (the policy's maxRateIncrease). */
  maxRateIncrease: number;
  alpha: number;
  minSamples: number;
  passLevel: number;
}

/**
 * Faults per request, canary vs baseline: a sequential test that the canary's fault rate is at most
 * the baseline's plus the allowance. The baseline's rate enters through its upper 95% bound so far
 * (the baseline usually has many more requests), fixed before each canary batch is scored.
 */
export class ErrorRateTest {
  private readonly test = new BernoulliMixtureTest();
  private canaryFaults = 0;
  private canaryTotal = 0;
  private baselineFaults = 0;
  private baselineTotal = 0;
  private failed = false;

  constructor(private readonly settings: ErrorRateTestSettings) {}

  observe(canary: readonly JudgedSample[], baseline: readonly JudgedSample[]): Judgement {
    for (const sample of baseline) if (sample.fault) this.baselineFaults++;
    this.baselineTotal += baseline.length;
    let faults = 0;
    for (const sample of canary) if (sample.fault) faults++;
    this.canaryFaults += faults;
    this.canaryTotal += canary.length;
    if (this.baselineTotal >= this.settings.minSamples && canary.length > 0) {
      const baselineUpper = wilsonInterval(this.baselineFaults, this.baselineTotal, 0.9)[1];
      const p0 = Math.min(1 - 1e-9, baselineUpper + this.settings.maxRateIncrease);
      this.test.update(faults, canary.length, p0);
    }
    return this.judge();
  }

  private judge(): Judgement {
    const { settings } = this;
    const metric = 'fault rate';
    const samples = { canary: this.canaryTotal, baseline: this.baselineTotal };
    if (samples.canary < settings.minSamples || samples.baseline < settings.minSamples) {
      return {
        metric,
        verdict: 'inconclusive',
        unit: 'ratio',
        samples,
        reason: tooFewSamplesReason(samples, settings.minSamples),
      };
    }
    const logRatio = this.test.logRatio;
    if (logRatio >= Math.log(1 / settings.alpha)) this.failed = true;
    const canaryRate = this.canaryFaults / this.canaryTotal;
    const baselineRate = this.baselineFaults / this.baselineTotal;
    const twoSided = 1 - 2 * (1 - settings.passLevel);
    const canaryBounds = wilsonInterval(this.canaryFaults, this.canaryTotal, twoSided);
    const interval: [number, number] = [canaryBounds[0] - baselineRate, canaryBounds[1] - baselineRate];
    const threshold = baselineRate + settings.maxRateIncrease;
    const verdict: Verdict = this.failed
      ? 'fail'
      : interval[1] <= settings.maxRateIncrease
        ? 'pass'
        : 'inconclusive';
    const statistic = Math.exp(logRatio);
    const statisticThreshold = 1 / settings.alpha;
    const allowed = `+${percent(settings.maxRateIncrease, 2)} points`;
    const outcome =
      verdict === 'fail'
        ? `more than the allowed ${allowed} (evidence ${times(statistic)} reached the ${times(statisticThreshold)} needed to roll back)`
        : verdict === 'pass'
          ? `an increase beyond the allowed ${allowed} is ruled out at ${percent(settings.passLevel, 0)} confidence`
          : `not yet decided whether it exceeds the allowed ${allowed} (evidence ${times(statistic)} of the ${times(statisticThreshold)} needed to roll back)`;
    const reason =
      `faults ${percent(canaryRate, 2)} of canary requests (${count(this.canaryFaults)} of ${count(this.canaryTotal)}) vs ` +
      `${percent(baselineRate, 2)} on baseline (${count(this.baselineFaults)} of ${count(this.baselineTotal)}); ${outcome}`;
    return {
      metric,
      verdict,
      unit: 'ratio',
      canary: canaryRate,
      baseline: baselineRate,
      threshold,
      samples,
      reason,
      estimate: canaryRate - baselineRate,
      estimateKind: 'rate difference',
      interval,
      statistic,
      statisticThreshold,
    };
  }
}
