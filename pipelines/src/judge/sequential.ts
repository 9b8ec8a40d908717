import { normalCdf, normalQuantile } from './normal';
import type { Verdict } from './verdict';

/**
 * Always-valid (anytime) tests: each statistic is a nonnegative supermartingale under the null
 * hypothesis, so by Ville's inequality the chance it *ever* reaches 1/alpha — however often it is
 * looked at — is at most alpha. That is what lets a gate poll every 30 s without inflating false
 * rollbacks.
 */

/**
 * log of the one-sided normal-mixture likelihood ratio (mSPRT) for H0: θ ≤ θ0 against θ > θ0,
 * given an estimate with variance `variance` (information I = 1/variance) and a half-normal mixing
 * distribution of scale `tau` on θ − θ0:
 *   Λ = ∫₀^∞ exp(θS − θ²I/2) · 2φ(θ/τ)/τ dθ = 2/(τ√a) · exp(S²/(2a)) · Φ(S/√a),
 * with S = I(estimate − θ0), a = I + 1/τ². Each exp(θS − θ²I/2) with θ > 0 is a supermartingale
 * for every true value ≤ θ0, and so is their mixture.
 */
export function logNormalMixtureRatio(
  estimate: number,
  variance: number,
  theta0: number,
  tau: number,
): number {
  if (!(variance > 0)) return Number.NEGATIVE_INFINITY;
  const information = 1 / variance;
  const score = information * (estimate - theta0);
  const a = information + 1 / (tau * tau);
  const phi = normalCdf(score / Math.sqrt(a));
  return Math.log(2) - 0.5 * Math.log(tau * tau * a) + (score * score) / (2 * a) + Math.log(phi);
}

/**
 * An always-valid test that a Bernoulli rate is at most p0, where p0 may change between batches
 * (it is fixed before each batch is seen). The statistic mixes, over a grid of odds ratios
 * e^θ > 1, the likelihood ratios of the tilted alternatives p_θ = p0·e^θ / (1 − p0 + p0·e^θ):
 * per event e^θ, per trial 1/(1 − p0 + p0·e^θ). For any true rate ≤ p0 each factor has mean ≤ 1,
 * so each product, and the mixture, is a supermartingale. The grid is fixed when the test is made
 * (the fault-rate test uses 1.25…21; the tail test its own, narrower grid).
 *
 * With odds ratios below 1 the same statistic tests the mirror image, that the rate is at least p0:
 * for any true rate ≥ p0 each factor has mean ≤ 1. The pass tests use it that way.
 */
export class BernoulliMixtureTest {
  static readonly defaultOddsRatios: readonly number[] = [1.25, 1.5, 2, 3, 5, 8, 13, 21];
  private readonly thetas: Float64Array;
  private readonly logRatios: Float64Array;

  constructor(oddsRatios: readonly number[] = BernoulliMixtureTest.defaultOddsRatios) {
    this.thetas = Float64Array.from(oddsRatios, Math.log);
    this.logRatios = new Float64Array(oddsRatios.length);
  }

  /** Adds a batch of `trials` with `events` of them positive, tested against rate p0. */
  update(events: number, trials: number, p0: number): void {
    if (trials === 0) return;
    this.thetas.forEach((theta, index) => {
      const normaliser = Math.log(1 - p0 + p0 * Math.exp(theta));
      this.logRatios[index] = (this.logRatios[index] ?? 0) + theta * events - trials * normaliser;
    });
  }

  /** log of the evidence ratio (equal-weight mixture over the grid). */
  get logRatio(): number {
    return logMeanExp(this.logRatios);
  }

  /**
   * log of the evidence ratio after `trials` more trials against p0, if a share `eventShare` of them
   * are events (what the data so far suggest): for projecting how much more data a decision needs.
   */
  projectedLogRatio(trials: number, eventShare: number, p0: number): number {
    const projected = this.thetas.map((theta, index) => {
      const normaliser = Math.log(1 - p0 + p0 * Math.exp(theta));
      return (this.logRatios[index] ?? 0) + trials * (theta * eventShare - normaliser);
    });
    return logMeanExp(projected);
  }
}

function logMeanExp(values: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) max = Math.max(max, value);
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (const value of values) sum += Math.exp(value - max);
  return max + Math.log(sum / values.length);
}

/** Wilson score interval for a proportion, pointwise at `level`. */
export function wilsonInterval(events: number, trials: number, level = 0.95): [number, number] {
  if (trials === 0) return [0, 1];
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = events / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The evidence each test's two statistics must reach (Ville's inequality: a supermartingale reaches 1/α
 * with chance at most α): the fail statistic log(1/α), the pass statistic log(1/(1 − passLevel)).
 */
export interface DecisionLimits {
  fail: number;
  pass: number;
}

export function decisionLimits(settings: { alpha: number; passLevel: number }): DecisionLimits {
  return { fail: Math.log(1 / settings.alpha), pass: Math.log(1 / (1 - settings.passLevel)) };
}

/**
 * The verdict of one look at a test. A fail is final (once the fail statistic has crossed its limit the
 * step is failed whatever later batches show); otherwise pass once the pass statistic crosses its own.
 */
export function sequentialVerdict(
  failedBefore: boolean,
  failLog: number,
  passLog: number,
  limits: DecisionLimits,
): { verdict: Exclude<Verdict, 'error'>; failed: boolean } {
  const failed = failedBefore || failLog >= limits.fail;
  return { failed, verdict: failed ? 'fail' : passLog >= limits.pass ? 'pass' : 'inconclusive' };
}
