import type { Batch } from './batch';
import type { Judgement } from './canary-judge';
import { DriftNormalizer } from './drift-normalizer';
import { count, milliseconds, percent, times, tooFewSamplesReason } from './explain';
import { fewestMoreSamples, roughly } from './projection';
import { LatencySketch } from './quantile-sketch';
import { BernoulliMixtureTest, decisionLimits, sequentialVerdict, wilsonInterval } from './sequential';

export interface TailTestSettings {
  /** Allowed relative increase of p99 (the policy's p99Increase), e.g. 0.1. */
  allowedIncrease: number;
  alpha: number;
  minSamples: number;
  passLevel: number;
  /** The share of canary requests above the allowed p99 that a pass rules out, e.g. 0.03. */
  passShare: number;
}

/** The share of requests a healthy tail may have above its own p99. */
const TAIL_SHARE = 0.01;
/**
 * The fail side's alternatives: odds ratios 1.5–5 against the 1% a healthy tail may have above the
 * threshold, i.e. 1.5%–4.8% of canary requests above it. That is the range of tail-only regressions
 * this test exists for (a slowdown of the slowest 2% of requests puts about 2% above it; even a +50%
 * shift of every request only about 3.3%). Every alternative in a fixed grid with fixed weights keeps
 * the mixture a supermartingale, so the grid only trades power between alternatives.
 */
const FAIL_ODDS = [1.5, 2, 3, 5] as const;
/**
 * The pass side's alternatives, as shares of requests above the threshold: a healthy canary has
 * about 0.6–0.95% there (the allowance puts the threshold above the baseline's p99; how far above,
 * in share of requests, depends on how heavy the tail is: 1.1^−α of 1% for a power law of index α).
 */
const PASS_SHARES = [0.004, 0.006, 0.009, 0.014] as const;
/** Baseline samples needed before its p99 is trusted as a reference. */
const MIN_BASELINE_FOR_P99 = 100;

/**
 * The tail, canary vs baseline, as an exceedance test: the canary's p99 is within the allowance
 * exactly when at most 1% of canary requests are slower than baseline p99 × (1 + allowance).
 *
 * Drift is modelled, not ignored: both versions' latencies are divided by the baseline's median in their time
 * window (`DriftNormalizer`), and the baseline's p99 is read from the normalized baseline so far. A slower
 * dependency or a traffic peak scales the whole window, so it cancels; the tail's shape, which is what the
 * test is about, does not. Each canary request is scored against the threshold known when it arrives (from
 * baseline samples only), at a conservative level 0.99 + √(0.0099/n) (one standard error up, capped at
 * 0.999), so a short baseline does not make a healthy canary look slow, and the share above is tested against
 * 1% by a Bernoulli mixture: **fail** once the evidence reaches 1/alpha (sticky). **Pass** while the mirror-
 * image test shows that fewer than `passShare` of canary requests are above the threshold read one standard
 * error down (evidence 1/(1 − passLevel)).
 */
export class TailTest {
  private readonly normalizer: DriftNormalizer;
  private readonly reference = new LatencySketch();
  private readonly canarySketch = new LatencySketch();
  private readonly failTest = new BernoulliMixtureTest(FAIL_ODDS);
  private readonly passTest: BernoulliMixtureTest;
  private readonly scored = { total: 0, aboveFail: 0, abovePass: 0 };
  private baselineCount = 0;
  private threshold = { fail: Number.NaN, pass: Number.NaN, ms: Number.NaN };
  private failed = false;

  constructor(private readonly settings: TailTestSettings) {
    this.normalizer = new DriftNormalizer();
    const below = PASS_SHARES.filter((share) => share < settings.passShare);
    this.passTest = new BernoulliMixtureTest(below.map((share) => odds(share) / odds(settings.passShare)));
  }

  observe(canary: Batch, baseline: Batch): Judgement {
    for (const counts of canary.byWindow.values()) this.canarySketch.addCounts(counts);
    this.baselineCount += baseline.samples.length;
    const normalized = this.normalizer.normalize(canary, baseline);
    // The canary is never in the reference, so the baseline of this poll may join it first.
    this.reference.addCounts(normalized.baseline);
    if (this.reference.count >= MIN_BASELINE_FOR_P99)
      this.score(canary, normalized.driftMs, normalized.latestDriftMs);
    return this.judge();
  }

  /** Scores each canary request, as a multiple of its window's drift, against the reference. */
  private score(canary: Batch, driftMs: ReadonlyMap<number, number>, latestDriftMs: number): void {
    const n = this.reference.count;
    const error = Math.sqrt((TAIL_SHARE * (1 - TAIL_SHARE)) / n);
    const allowed = 1 + this.settings.allowedIncrease;
    const fail = this.reference.quantile(Math.min(0.999, 1 - TAIL_SHARE + error)) * allowed;
    const pass = this.reference.quantile(Math.max(0.98, 1 - TAIL_SHARE - error)) * allowed;
    let scored = 0;
    let aboveFail = 0;
    let abovePass = 0;
    let window = Number.NaN;
    let drift = Number.NaN;
    for (let i = 0; i < canary.samples.length; i++) {
      if (canary.windows[i] !== window) {
        window = canary.windows[i] as number;
        drift = driftMs.get(window) ?? Number.NaN;
      }
      const value = (canary.samples[i]?.latencyMs ?? Number.NaN) / drift;
      if (Number.isNaN(value)) continue;
      scored++;
      if (value > fail) aboveFail++;
      if (value > pass) abovePass++;
    }
    this.failTest.update(aboveFail, scored, TAIL_SHARE);
    this.passTest.update(abovePass, scored, this.settings.passShare);
    this.scored.total += scored;
    this.scored.aboveFail += aboveFail;
    this.scored.abovePass += abovePass;
    this.threshold = { fail, pass, ms: fail * latestDriftMs };
  }

  private judge(): Judgement {
    const { settings, scored } = this;
    const metric = 'p99 latency';
    const samples = { canary: this.canarySketch.count, baseline: this.baselineCount };
    const needed = Math.max(settings.minSamples, MIN_BASELINE_FOR_P99);
    if (
      samples.canary < settings.minSamples ||
      samples.baseline < needed ||
      scored.total < settings.minSamples
    ) {
      const reason =
        samples.canary < settings.minSamples || samples.baseline < needed
          ? tooFewSamplesReason(samples, needed)
          : `too few canary samples scored against the baseline's p99 yet: ${count(scored.total)}, need ${count(settings.minSamples)}`;
      const moreCanarySamples = Math.max(0, settings.minSamples - Math.min(samples.canary, scored.total));
      return { metric, verdict: 'inconclusive', unit: 'ms', samples, reason, moreCanarySamples };
    }
    const evidence = decisionLimits(settings);
    const failLog = this.failTest.logRatio;
    const passLog = this.passTest.logRatio;
    const decision = sequentialVerdict(this.failed, failLog, passLog, evidence);
    this.failed = decision.failed;
    const { verdict } = decision;
    const judgement: Judgement = {
      metric,
      verdict,
      unit: 'ms',
      canary: this.canarySketch.quantile(0.99),
      baseline: this.threshold.ms / (1 + settings.allowedIncrease),
      threshold: this.threshold.ms,
      samples,
      reason: '',
      estimate: scored.aboveFail / scored.total,
      estimateKind: 'share above threshold',
      interval: wilsonInterval(scored.aboveFail, scored.total, 1 - 2 * (1 - settings.passLevel)),
      statistic: Math.exp(failLog),
      statisticThreshold: 1 / settings.alpha,
      passBound: settings.passShare,
      passStatistic: Math.exp(passLog),
      passStatisticThreshold: 1 / (1 - settings.passLevel),
    };
    if (verdict === 'inconclusive') {
      const { aboveFail, abovePass, total } = scored;
      const decides = (more: number) =>
        this.failTest.projectedLogRatio(more, aboveFail / total, TAIL_SHARE) >= evidence.fail ||
        this.passTest.projectedLogRatio(more, abovePass / total, settings.passShare) >= evidence.pass;
      const more = fewestMoreSamples(decides, total / 4);
      if (more !== undefined) judgement.moreCanarySamples = roughly(more);
    }
    judgement.reason = this.reason(judgement);
    return judgement;
  }

  private reason(j: Judgement): string {
    const { scored, settings } = this;
    const [low, high] = j.interval ?? [Number.NaN, Number.NaN];
    const measured =
      `${percent(j.estimate ?? Number.NaN, 2)} of canary requests (${count(scored.aboveFail)} of ${count(scored.total)}, plausibly ${percent(low, 2)}–${percent(high, 2)}) ` +
      `were slower than the baseline's p99 + ${percent(settings.allowedIncrease)} of their time window ` +
      `(${milliseconds(j.threshold ?? Number.NaN)} in the latest: baseline p99 ${milliseconds(j.baseline ?? Number.NaN)} + ${percent(settings.allowedIncrease)})`;
    const failEvidence = `evidence ${times(j.statistic ?? 0)} of the ${times(j.statisticThreshold ?? 0)} needed to roll back`;
    const passEvidence = `evidence ${times(j.passStatistic ?? 0)} of the ${times(j.passStatisticThreshold ?? 0)} needed to pass`;
    const passWhat = `${percent(settings.passShare, 1)} or more`;
    if (j.verdict === 'fail')
      return `${measured}; more than 1% are, so the canary's p99 is above the allowance (evidence ${times(j.statistic ?? 0)} reached the ${times(j.statisticThreshold ?? 0)} needed to roll back)`;
    if (j.verdict === 'pass')
      return `${measured}; ${passWhat} there is ruled out (evidence ${times(j.passStatistic ?? 0)} reached the ${times(j.passStatisticThreshold ?? 0)} needed to pass; ${failEvidence})`;
    const more =
      j.moreCanarySamples === undefined
        ? ''
        : `; needs about ${count(j.moreCanarySamples)} more canary samples to decide if the share stays at ${percent(j.estimate ?? Number.NaN, 2)}`;
    return `${measured}; not yet decided: a healthy canary has at most 1% there, and neither more than that is shown (${failEvidence}) nor ${passWhat} ruled out (${passEvidence})${more}`;
  }
}

function odds(share: number): number {
  return share / (1 - share);
}
