import type { Batch } from './batch';
import type { Judgement } from './canary-judge';
import { count, percent, times, tooFewSamplesReason } from './explain';
import { fewestMoreSamples, roughly } from './projection';
import { BernoulliMixtureTest, decisionLimits, sequentialVerdict, wilsonInterval } from './sequential';

export interface ErrorRateTestSettings {
  /** Allowed increase of the fault rate in fraction-points (the policy's maxRateIncrease). */
  maxRateIncrease: number;
  alpha: number;
  minSamples: number;
  passLevel: number;
  /** A pass rules out an increase of this many times the allowance, e.g. 2. */
  passFactor: number;
}

/** The pass side's alternatives: fault rates below the pass bound by these odds ratios (any size). */
const PASS_ODDS = BernoulliMixtureTest.defaultOddsRatios.map((odds) => 1 / odds);

/**
 * Faults per request, canary vs baseline: **fail** once an always-valid test shows the canary's fault
 * rate above the baseline's plus the allowance (the baseline entering through its upper 95% bound so
 * far, fixed before each canary batch is scored); **pass** while the mirror-image test shows it below
 * the baseline's plus `passFactor` × the allowance (the baseline through its lower 95% bound).
 */
export class ErrorRateTest {
  private readonly failTest = new BernoulliMixtureTest();
  private readonly passTest = new BernoulliMixtureTest(PASS_ODDS);
  private canaryFaults = 0;
  private canaryTotal = 0;
  private baselineFaults = 0;
  private baselineTotal = 0;
  private failed = false;
  /** The rates the last batch was tested against (fail side, pass side). */
  private limits = { fail: Number.NaN, pass: Number.NaN };

  constructor(private readonly settings: ErrorRateTestSettings) {}

  observe(canary: Batch, baseline: Batch): Judgement {
    this.baselineFaults += baseline.faults;
    this.baselineTotal += baseline.samples.length;
    const faults = canary.faults;
    const scored = canary.samples.length;
    this.canaryFaults += faults;
    this.canaryTotal += scored;
    if (this.baselineTotal >= this.settings.minSamples && scored > 0) {
      const [baselineLower, baselineUpper] = wilsonInterval(this.baselineFaults, this.baselineTotal, 0.9);
      const { maxRateIncrease, passFactor } = this.settings;
      this.limits = {
        fail: Math.min(1 - 1e-9, baselineUpper + maxRateIncrease),
        pass: Math.min(1 - 1e-9, baselineLower + passFactor * maxRateIncrease),
      };
      this.failTest.update(faults, scored, this.limits.fail);
      this.passTest.update(faults, scored, this.limits.pass);
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
        moreCanarySamples: Math.max(0, settings.minSamples - samples.canary),
      };
    }
    const evidence = decisionLimits(settings);
    const failLog = this.failTest.logRatio;
    const passLog = this.passTest.logRatio;
    const decision = sequentialVerdict(this.failed, failLog, passLog, evidence);
    this.failed = decision.failed;
    const { verdict } = decision;
    const canaryRate = this.canaryFaults / this.canaryTotal;
    const baselineRate = this.baselineFaults / this.baselineTotal;
    const twoSided = 1 - 2 * (1 - settings.passLevel);
    const canaryBounds = wilsonInterval(this.canaryFaults, this.canaryTotal, twoSided);
    const judgement: Judgement = {
      metric,
      verdict,
      unit: 'ratio',
      canary: canaryRate,
      baseline: baselineRate,
      threshold: baselineRate + settings.maxRateIncrease,
      samples,
      reason: '',
      estimate: canaryRate - baselineRate,
      estimateKind: 'rate difference',
      interval: [canaryBounds[0] - baselineRate, canaryBounds[1] - baselineRate],
      statistic: Math.exp(failLog),
      statisticThreshold: 1 / settings.alpha,
      passBound: settings.passFactor * settings.maxRateIncrease,
      passStatistic: Math.exp(passLog),
      passStatisticThreshold: 1 / (1 - settings.passLevel),
    };
    if (verdict === 'inconclusive') {
      const decides = (more: number) =>
        this.failTest.projectedLogRatio(more, canaryRate, this.limits.fail) >= evidence.fail ||
        this.passTest.projectedLogRatio(more, canaryRate, this.limits.pass) >= evidence.pass;
      const more = fewestMoreSamples(decides, this.canaryTotal / 4);
      if (more !== undefined) judgement.moreCanarySamples = roughly(more);
    }
    judgement.reason = this.reason(judgement, canaryRate, baselineRate);
    return judgement;
  }

  private reason(j: Judgement, canaryRate: number, baselineRate: number): string {
    const allowed = `+${percent(this.settings.maxRateIncrease, 2)} points`;
    const ruledOut = `+${percent(j.passBound ?? Number.NaN, 2)} points`;
    const measured =
      `faults ${percent(canaryRate, 2)} of canary requests (${count(this.canaryFaults)} of ${count(this.canaryTotal)}) vs ` +
      `${percent(baselineRate, 2)} on baseline (${count(this.baselineFaults)} of ${count(this.baselineTotal)})`;
    const failEvidence = `evidence ${times(j.statistic ?? 0)} of the ${times(j.statisticThreshold ?? 0)} needed to roll back`;
    const passEvidence = `evidence ${times(j.passStatistic ?? 0)} of the ${times(j.passStatisticThreshold ?? 0)} needed to pass`;
    if (j.verdict === 'fail')
      return `${measured}; more than the allowed ${allowed} (evidence ${times(j.statistic ?? 0)} reached the ${times(j.statisticThreshold ?? 0)} needed to roll back)`;
    if (j.verdict === 'pass')
      return `${measured}; an increase of ${ruledOut} or more is ruled out (evidence ${times(j.passStatistic ?? 0)} reached the ${times(j.passStatisticThreshold ?? 0)} needed to pass; ${failEvidence})`;
    const more =
      j.moreCanarySamples === undefined
        ? ''
        : `; needs about ${count(j.moreCanarySamples)} more canary samples to decide if the canary keeps faulting at ${percent(canaryRate, 2)}`;
    return `${measured}; not yet decided: neither more than the allowed ${allowed} is shown (${failEvidence}) nor an increase of ${ruledOut} or more ruled out (${passEvidence})${more}`;
  }
}
