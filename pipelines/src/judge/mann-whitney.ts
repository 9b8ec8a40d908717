import { normalCdf, normalQuantile, normalSurvival } from './normal';

/**
 * The Mann-Whitney U (Wilcoxon rank-sum) test of x against y with the Hodges-Lehmann shift estimate
 * and its confidence interval, computed as R's `wilcox.test(x, y, conf.int = TRUE)` does: the exact
 * null distribution when both samples are under 50 and untied, else the normal approximation with
 * tie and continuity corrections. Large samples stay cheap: the interval ends are order statistics
 * of the n·m pairwise differences, selected by counting over the sorted samples in O((n + m) log)
 * instead of forming all differences.
 */

export type Alternative = 'two.sided' | 'greater' | 'less';

export interface MannWhitneyOptions {
  alternative?: Alternative;
  /** Location shift under the null hypothesis (x − mu compared with y). Default 0. */
  mu?: number;
  /** Continuity correction of the normal approximation. Default true, as in R. */
  correct?: boolean;
  confLevel?: number;
  /** Force (true) or forbid (false) the exact distribution; by default exact when n, m < 50 and no ties. */
  exact?: boolean;
}

export interface MannWhitneyResult {
  /** R's W: the rank sum of x minus n(n + 1)/2, i.e. the count of pairs with x − mu > y (ties ½). */
  statistic: number;
  pValue: number;
  /** Hodges-Lehmann estimate of the shift of x relative to y. */
  estimate: number;
  interval: [number, number];
  method: 'exact' | 'normal';
}

export function mannWhitney(
  x: readonly number[],
  y: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  return mannWhitneySorted(Float64Array.from(x).sort(), Float64Array.from(y).sort(), options);
}

/** `mannWhitney` for samples already sorted ascending (callers that keep sorted buffers skip the sort). */
export function mannWhitneySorted(
  xs: Float64Array,
  ys: Float64Array,
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const n = xs.length;
  const m = ys.length;
  if (n === 0 || m === 0) throw new Error('mannWhitney needs at least one value on each side');
  const alternative = options.alternative ?? 'two.sided';
  const mu = options.mu ?? 0;
  const correct = options.correct ?? true;
  const confLevel = options.confLevel ?? 0.95;
  const shifted = xs.map((v) => v - mu);
  const ranks = rankSum(shifted, ys);
  const statistic = ranks.rankSumX - (n * (n + 1)) / 2;
  const exact = options.exact ?? (n < 50 && m < 50 && !ranks.tied);
  if (exact) {
    const dist = WilcoxDistribution.of(n, m);
    const pValue = exactPValue(dist, statistic, alternative);
    const { estimate, interval } = exactInterval(dist, xs, ys, alternative, confLevel);
    return { statistic, pValue, estimate, interval, method: 'exact' };
  }
  const sigma = tieAdjustedSigma(n, m, ranks.tieTerm);
  const z0 = statistic - (n * m) / 2;
  const z = (z0 - continuityCorrection(z0, alternative, correct)) / sigma;
  const pValue =
    alternative === 'two.sided'
      ? 2 * Math.min(normalCdf(z), normalSurvival(z))
      : alternative === 'greater'
        ? normalSurvival(z)
        : normalCdf(z);
  const { estimate, interval } = normalInterval(xs, ys, alternative, confLevel, correct);
  return { statistic, pValue, estimate, interval, method: 'normal' };
}

interface RankSum {
  rankSumX: number;
  /** Σ (t³ − t) over groups of tied values in the pooled sample. */
  tieTerm: number;
  tied: boolean;
}

/** Midrank sum of the sorted x within the pooled sorted sample, by merging. */
function rankSum(xs: Float64Array, ys: Float64Array): RankSum {
  let i = 0;
  let j = 0;
  let rank = 0;
  let rankSumX = 0;
  let tieTerm = 0;
  while (i < xs.length || j < ys.length) {
    const value = Math.min(xs[i] ?? Number.POSITIVE_INFINITY, ys[j] ?? Number.POSITIVE_INFINITY);
    let inX = 0;
    let inY = 0;
    while (i < xs.length && xs[i] === value) {
      i++;
      inX++;
    }
    while (j < ys.length && ys[j] === value) {
      j++;
      inY++;
    }
    const t = inX + inY;
    const midrank = rank + (t + 1) / 2;
    rankSumX += inX * midrank;
    tieTerm += t * t * t - t;
    rank += t;
  }
  return { rankSumX, tieTerm, tied: tieTerm > 0 };
}

function tieAdjustedSigma(n: number, m: number, tieTerm: number): number {
  return Math.sqrt(((n * m) / 12) * (n + m + 1 - tieTerm / ((n + m) * (n + m - 1))));
}

/** Σ (t³ − t) over tied groups within one sorted sample. */
function withinTies(sorted: Float64Array): number {
  let term = 0;
  let run = 1;
  for (let k = 1; k <= sorted.length; k++) {
    if (k < sorted.length && sorted[k] === sorted[k - 1]) {
      run++;
    } else {
      term += run * run * run - run;
      run = 1;
    }
  }
  return term;
}

/** The exact null distribution of W for sample sizes n, m (R's dwilcox/pwilcox/qwilcox). */
export class WilcoxDistribution {
  private static readonly cache = new Map<string, WilcoxDistribution>();
  private readonly cumulative: Float64Array;

  private constructor(
    readonly n: number,
    readonly m: number,
  ) {
    // The counts of W are the coefficients of the Gaussian binomial [n+m choose n]_q, built up as
    // [m+i choose i] = [m+i−1 choose i−1] · (1 − q^(m+i)) / (1 − q^i).
    const size = n * m + 1;
    let poly = new Float64Array(size);
    poly[0] = 1;
    for (let i = 1; i <= n; i++) {
      const next = new Float64Array(size);
      for (let k = 0; k < size; k++) {
        next[k] = (poly[k] ?? 0) - (k >= m + i ? (poly[k - m - i] ?? 0) : 0);
      }
      for (let k = i; k < size; k++) next[k] = (next[k] ?? 0) + (next[k - i] ?? 0);
      poly = next;
    }
    let total = 0;
    for (const c of poly) total += c;
    this.cumulative = new Float64Array(size);
    let running = 0;
    for (let k = 0; k < size; k++) {
      running += Math.max(0, poly[k] ?? 0);
      this.cumulative[k] = running / total;
    }
  }

  static of(n: number, m: number): WilcoxDistribution {
    const key = `${n}x${m}`;
    let dist = WilcoxDistribution.cache.get(key);
    if (!dist) {
      dist = new WilcoxDistribution(n, m);
      WilcoxDistribution.cache.set(key, dist);
    }
    return dist;
  }

  /** P(W ≤ q). */
  cdf(q: number): number {
    const k = Math.floor(q + 1e-7);
    if (k < 0) return 0;
    if (k >= this.n * this.m) return 1;
    return this.cumulative[k] ?? 1;
  }

  /** The smallest q with P(W ≤ q) ≥ p, with R's fuzz. */
  quantile(p: number): number {
    const target = p * (1 - 64 * Number.EPSILON);
    for (let q = 0; q <= this.n * this.m; q++) {
      if ((this.cumulative[q] ?? 1) >= target) return q;
    }
    return this.n * this.m;
  }
}

function exactPValue(dist: WilcoxDistribution, w: number, alternative: Alternative): number {
  const upper = () => 1 - dist.cdf(w - 1);
  if (alternative === 'greater') return upper();
  if (alternative === 'less') return dist.cdf(w);
  const p = w > (dist.n * dist.m) / 2 ? upper() : dist.cdf(w);
  return Math.min(2 * p, 1);
}

function allDifferences(xs: Float64Array, ys: Float64Array): Float64Array {
  const diffs = new Float64Array(xs.length * ys.length);
  let k = 0;
  for (const a of xs) for (const b of ys) diffs[k++] = a - b;
  return diffs.sort();
}

function exactInterval(
  dist: WilcoxDistribution,
  xs: Float64Array,
  ys: Float64Array,
  alternative: Alternative,
  confLevel: number,
): { estimate: number; interval: [number, number] } {
  const diffs = allDifferences(xs, ys);
  const nm = diffs.length;
  const alpha = 1 - confLevel;
  const d = (index1: number) => diffs[index1 - 1] ?? Number.NaN;
  const half = Math.floor(nm / 2);
  const estimate = nm % 2 === 1 ? d(half + 1) : (d(half) + d(half + 1)) / 2;
  let qu = dist.quantile(alternative === 'two.sided' ? alpha / 2 : alpha);
  if (qu === 0) qu = 1;
  const interval: [number, number] =
    alternative === 'two.sided'
      ? [d(qu), d(nm - qu + 1)]
      : alternative === 'greater'
        ? [d(qu), Number.POSITIVE_INFINITY]
        : [Number.NEGATIVE_INFINITY, d(nm - qu + 1)];
  return { estimate, interval };
}

/**
 * R's normal-approximation interval solves (W(d) − correction)/σ = z for the shift d by uniroot;
 * W(d) is a step function of d that jumps at the pairwise differences, so the root is the
 * difference where it crosses, which we select directly.
 */
function normalInterval(
  xs: Float64Array,
  ys: Float64Array,
  alternative: Alternative,
  confLevel: number,
  correct: boolean,
): { estimate: number; interval: [number, number] } {
  const n = xs.length;
  const m = ys.length;
  const nm = n * m;
  const sigma = tieAdjustedSigma(n, m, withinTies(xs) + withinTies(ys));
  const alpha = 1 - confLevel;
  const root = (zq: number): number => {
    // g(c): the standardized statistic when c pairwise differences exceed d.
    const g = (c: number) => {
      const dz = c - nm / 2;
      return (dz - continuityCorrection(dz, alternative, correct)) / sigma - zq;
    };
    if (g(nm) <= 0) return kthDifference(xs, ys, 1);
    if (g(0) > 0) return kthDifference(xs, ys, nm);
    let c0 = Math.max(0, Math.floor(nm / 2 + zq * sigma) - 3);
    while (g(c0) <= 0) c0++;
    while (c0 > 0 && g(c0 - 1) > 0) c0--;
    return kthDifference(xs, ys, nm - c0 + 1);
  };
  const half = Math.floor(nm / 2);
  const estimate =
    nm % 2 === 1
      ? kthDifference(xs, ys, half + 1)
      : (kthDifference(xs, ys, half) + kthDifference(xs, ys, half + 1)) / 2;
  const interval: [number, number] =
    alternative === 'two.sided'
      ? [root(normalQuantile(1 - alpha / 2)), root(normalQuantile(alpha / 2))]
      : alternative === 'greater'
        ? [root(normalQuantile(1 - alpha)), Number.POSITIVE_INFINITY]
        : [Number.NEGATIVE_INFINITY, root(normalQuantile(alpha))];
  return { estimate, interval };
}

/** Number of pairs with xs[i] − ys[j] ≤ d, by two pointers over the sorted samples. */
function countAtMost(xs: Float64Array, ys: Float64Array, d: number): number {
  let count = 0;
  // For increasing x, the y's with x − y ≤ d are those with y ≥ x − d: a suffix that only shrinks.
  let boundary = 0;
  for (const a of xs) {
    while (boundary < ys.length && a - (ys[boundary] ?? 0) > d) boundary++;
    count += ys.length - boundary;
  }
  return count;
}

/** First index with sorted[index] ≥ value. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The k-th smallest (1-based) of the n·m differences xs[i] − ys[j]: bisect on the value with a
 * counting pass until few candidates remain, then gather and select them.
 */
export function kthDifference(xs: Float64Array, ys: Float64Array, k: number): number {
  const n = xs.length;
  const m = ys.length;
  let lo = (xs[0] ?? 0) - (ys[m - 1] ?? 0);
  let hi = (xs[n - 1] ?? 0) - (ys[0] ?? 0);
  if (k <= 1) return lo;
  if (k >= n * m) return hi;
  // Invariant: count(≤ lo) < k ≤ count(≤ hi); lo starts just below the minimum.
  lo = lo - Math.max(1e-12, Math.abs(lo) * 1e-12);
  let countLo = 0;
  let countHi = n * m;
  const enough = Math.max((n + m) / 2, 1024);
  const narrow = (d: number) => {
    if (!(d > lo && d < hi)) return;
    const c = countAtMost(xs, ys, d);
    if (c >= k) {
      hi = d;
      countHi = c;
    } else {
      lo = d;
      countLo = c;
    }
  };
  // The count is a smooth function of d (the CDF of the differences), so aim by interpolation at
  // ranks just either side of k; fall back to halving when that does not at least halve the bracket.
  for (let iteration = 0; iteration < 200 && countHi - countLo > enough; iteration++) {
    const before = countHi - countLo;
    const at = (rank: number) => lo + ((hi - lo) * (rank - countLo)) / (countHi - countLo);
    narrow(at(k - enough / 4));
    narrow(at(k + enough / 4));
    if (countHi - countLo > before / 2) narrow(lo + (hi - lo) / 2);
    if (countHi - countLo === before) break;
  }
  // Exactly countHi − countLo differences lie in (lo, hi]; gather them and sort natively.
  const candidates = new Float64Array(countHi - countLo);
  let found = 0;
  for (const a of xs) {
    // lo < a − y ≤ hi  ⟺  a − hi ≤ y < a − lo, checked on the computed difference itself.
    for (let j = Math.max(0, lowerBound(ys, a - hi) - 1); j < m; j++) {
      const diff = a - (ys[j] ?? 0);
      if (diff > hi) continue;
      if (diff <= lo) break;
      candidates[found++] = diff;
    }
  }
  candidates.sort();
  return candidates[k - countLo - 1] ?? hi;
}

/**
 * The standardized statistic (W − nm/2)/σ of sorted samples, tie-corrected, without continuity
 * correction: O(n + m), for callers that only need to know whether a full analysis is worth it.
 */
export function mannWhitneyZ(xs: Float64Array, ys: Float64Array): number {
  const n = xs.length;
  const m = ys.length;
  const ranks = rankSum(xs, ys);
  const w = ranks.rankSumX - (n * (n + 1)) / 2;
  return (w - (n * m) / 2) / tieAdjustedSigma(n, m, ranks.tieTerm);
}

/** R's continuity correction for the normal approximation: half a step towards the null. */
function continuityCorrection(centred: number, alternative: Alternative, correct: boolean): number {
  if (!correct) return 0;
  if (alternative === 'two.sided') return Math.sign(centred) * 0.5;
  return alternative === 'greater' ? 0.5 : -0.5;
}
