import type { JudgedSample } from '@tollgate/pipelines/judge/canary-judge';
import { type SeededRandom, seededRandom } from '@tollgate/pipelines/random/seeded-random';

/** A judged request with when it happened (windows select on it). */
export type BenchSample = JudgedSample & { at: number };

/** One benchmark cell: the shape of the traffic a release sees. */
export interface Cell {
  /** Requests per second across both versions. */
  rate: number;
  /** Fraction of requests routed to the canary. */
  canaryShare: number;
  /** 'lognormal': log-normal with sigma 0.5; 'heavy': 10% of requests with 2.2× the log-spread. */
  latency: 'lognormal' | 'heavy';
  /** 'full': every request traced; 'xray': 1 request/s then 5% of the rest, per version. */
  sampling: 'full' | 'xray';
}

export type Scenario = 'healthy' | 'slow20' | 'slow50' | 'p99only' | 'slow5';

/** What the canary does to latency in each scenario. */
const EFFECT: Record<Scenario, { slowdown: number; tailSlowdown: number }> = {
  healthy: { slowdown: 1, tailSlowdown: 1 },
  slow20: { slowdown: 1.2, tailSlowdown: 1 },
  slow50: { slowdown: 1.5, tailSlowdown: 1 },
  slow5: { slowdown: 1.05, tailSlowdown: 1 },
  // The slowest 2% of requests (above the healthy p98) take 1.5× as long: p99 +50%, p50 unchanged.
  p99only: { slowdown: 1, tailSlowdown: 1.5 },
};

export const MEDIAN_MS = 100;
const SIGMA = 0.5;
/** Both versions' latency drifts together by up to ±5% over an hour (a sine with random phase). */
const DRIFT_AMPLITUDE = 0.05;
const DRIFT_PERIOD_S = 3600;
export const FAULT_RATE = 0.001;
/**
 * Tollgate's gate reads at most this many baseline traces per canary trace (more barely narrows the
 * comparison: the variance factor is 1 + 1/10) and at most MAX_BASELINE_PER_SECOND in all.
 */
export const BASELINE_PER_CANARY = 10;
export const MAX_BASELINE_PER_SECOND = 300;

/** The standard-normal deviate scaled as the latency model scales it. */
function logDeviate(rng: SeededRandom, latency: Cell['latency']): number {
  const z = rng.normal();
  if (latency === 'heavy' && rng.uniform() < 0.1) return 2.2 * z;
  return z;
}

/** Healthy-latency quantiles of a cell's model (no drift), estimated once from 400,000 draws. */
export function healthyQuantiles(latency: Cell['latency']): { p98: number; p99: number } {
  const rng = seededRandom(12345);
  const values = new Float64Array(400_000);
  for (let i = 0; i < values.length; i++) values[i] = MEDIAN_MS * Math.exp(SIGMA * logDeviate(rng, latency));
  values.sort();
  return {
    p98: values[Math.floor(0.98 * values.length)] ?? 0,
    p99: values[Math.floor(0.99 * values.length)] ?? 0,
  };
}

/** One second of traffic as each gate sees it. */
export interface Second {
  /** Every canary request (what CloudWatch metrics aggregate). */
  canaryAll: number[];
  /** Canary traces (what both judges read). */
  canary: BenchSample[];
  /** Baseline traces Tollgate's judge reads (thinned to BASELINE_PER_CANARY × the canary's, ≤ 300/s). */
  baseline: BenchSample[];
  /** Baseline traces Kayenta reads: a matched baseline, as many as the canary's on average. */
  baselineMatched: BenchSample[];
}

/**
 * Poisson arrivals at `cell.rate`, split canary/baseline, latencies from the cell's model under a
 * shared drift, the canary altered by the scenario, then X-Ray-like sampling. Deterministic per seed.
 */
export function* traffic(cell: Cell, scenario: Scenario, seed: number, seconds: number): Generator<Second> {
  const rng = seededRandom(seed);
  const effect = EFFECT[scenario];
  const { p98 } = healthyQuantilesCached(cell.latency);
  const phase = rng.uniform() * 2 * Math.PI;
  const canaryRate = cell.rate * cell.canaryShare;
  const baselineRate = cell.rate - canaryRate;
  const traced = (rate: number) =>
    cell.sampling === 'full' ? rate : Math.min(rate, 1) + 0.05 * Math.max(0, rate - 1);
  const canaryTraced = traced(canaryRate);
  const baselineTraced = traced(baselineRate);
  const judgeBaseline = Math.min(BASELINE_PER_CANARY * canaryTraced, MAX_BASELINE_PER_SECOND);
  const keepForJudge = Math.min(1, judgeBaseline / baselineTraced);
  const keepForKayenta = Math.min(1, canaryTraced / (baselineTraced * keepForJudge));
  for (let second = 0; second < seconds; second++) {
    const drift = Math.exp(DRIFT_AMPLITUDE * Math.sin(phase + (2 * Math.PI * second) / DRIFT_PERIOD_S));
    const latency = () => MEDIAN_MS * drift * Math.exp(SIGMA * logDeviate(rng, cell.latency));
    const out: Second = { canaryAll: [], canary: [], baseline: [], baselineMatched: [] };
    const canaryCount = rng.poisson(canaryRate);
    for (let i = 0; i < canaryCount; i++) {
      let ms = latency();
      if (ms > p98 * drift) ms *= effect.tailSlowdown;
      ms *= effect.slowdown;
      out.canaryAll.push(ms);
      if (cell.sampling === 'full' || i === 0 || rng.uniform() < 0.05) {
        out.canary.push({ at: second * 1000, latencyMs: ms, fault: rng.uniform() < FAULT_RATE });
      }
    }
    // Only the baseline traces a judge reads are drawn; thinning a Poisson stream keeps it Poisson.
    let baselineCount: number;
    if (cell.sampling === 'full') {
      baselineCount = rng.poisson(baselineRate * keepForJudge);
    } else {
      const requests = rng.poisson(baselineRate);
      const sampled = requests === 0 ? 0 : 1 + rng.poisson(0.05 * (requests - 1));
      baselineCount = keepForJudge >= 1 ? sampled : rng.poisson(sampled * keepForJudge);
    }
    for (let i = 0; i < baselineCount; i++) {
      const sample = { at: second * 1000, latencyMs: latency(), fault: rng.uniform() < FAULT_RATE };
      out.baseline.push(sample);
      if (rng.uniform() < keepForKayenta) out.baselineMatched.push(sample);
    }
    yield out;
  }
}

const quantileCache = new Map<Cell['latency'], { p98: number; p99: number }>();
export function healthyQuantilesCached(latency: Cell['latency']): { p98: number; p99: number } {
  let cached = quantileCache.get(latency);
  if (!cached) {
    cached = healthyQuantiles(latency);
    quantileCache.set(latency, cached);
  }
  return cached;
}
