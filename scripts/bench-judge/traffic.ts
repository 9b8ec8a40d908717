import type { JudgedSample } from '@tollgate/pipelines/judge/canary-judge';
import { seededRandom } from '@tollgate/pipelines/random/seeded-random';
import {
  type Arrivals,
  type Drift,
  driftOf,
  type LatencyModel,
  latencyDrawer,
  loadOf,
  reported,
} from './shapes';

/** A judged request as the benchmark's judges read it (request time in ms from the step's start). */
export type BenchSample = JudgedSample;

/** One benchmark cell: the shape of the traffic a release sees. */
export interface Cell {
  /** Requests per second across both versions (on average). */
  rate: number;
  /** Fraction of requests routed to the canary. */
  canaryShare: number;
  latency: LatencyModel;
  /** 'full': every request traced; 'xray': 1 request/s then 5% of the rest, per version. */
  sampling: 'full' | 'xray';
  drift: Drift;
  arrivals: Arrivals;
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

export const FAULT_RATE = 0.001;
/**
 * Tollgate's gate reads at most this many baseline traces per canary trace (more barely narrows the
 * comparison: the variance factor is 1 + 1/10) and at most MAX_BASELINE_PER_SECOND in all.
 */
export const BASELINE_PER_CANARY = 10;
export const MAX_BASELINE_PER_SECOND = 300;

/** Healthy-latency quantiles of a cell's model (no drift), estimated once from 400,000 draws. */
export function healthyQuantiles(latency: LatencyModel): { p98: number; p99: number } {
  const rng = seededRandom(12345);
  const draw = latencyDrawer(latency);
  const values = new Float64Array(400_000);
  for (let i = 0; i < values.length; i++) values[i] = draw(rng);
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

/** Traces per second X-Ray-like sampling keeps of `rate` requests per second. */
function tracedRate(cell: Cell, rate: number): number {
  return cell.sampling === 'full' ? rate : Math.min(rate, 1) + 0.05 * Math.max(0, rate - 1);
}

/**
 * Arrivals at `cell.rate` (Poisson each second, modulated by the cell's arrival shape), split
 * canary/baseline, latencies from the cell's model under its shared drift and load, the canary altered
 * by the scenario, then X-Ray-like sampling. Deterministic per seed.
 */
export function* traffic(cell: Cell, scenario: Scenario, seed: number, seconds: number): Generator<Second> {
  const rng = seededRandom(seed);
  const effect = EFFECT[scenario];
  const { p98 } = healthyQuantilesCached(cell.latency);
  const draw = latencyDrawer(cell.latency);
  const driftAt = driftOf(rng, cell.drift);
  const loadAt = loadOf(rng, cell.arrivals, seconds);
  const canaryRate = cell.rate * cell.canaryShare;
  const baselineRate = cell.rate - canaryRate;
  // Thinning is fixed from the average rates, so it keeps every second in proportion.
  const judgeBaseline = Math.min(BASELINE_PER_CANARY * tracedRate(cell, canaryRate), MAX_BASELINE_PER_SECOND);
  const keepForJudge = Math.min(1, judgeBaseline / tracedRate(cell, baselineRate));
  const keepForKayenta = Math.min(
    1,
    tracedRate(cell, canaryRate) / (tracedRate(cell, baselineRate) * keepForJudge),
  );
  for (let second = 0; second < seconds; second++) {
    const load = loadAt(second);
    const factor = driftAt(second) * load.latency;
    const at = second * 1000;
    const out: Second = { canaryAll: [], canary: [], baseline: [], baselineMatched: [] };
    const canaryCount = rng.poisson(canaryRate * load.rate);
    for (let i = 0; i < canaryCount; i++) {
      let ms = draw(rng) * factor;
      if (ms > p98 * factor) ms *= effect.tailSlowdown;
      ms = reported(cell.latency, ms * effect.slowdown);
      out.canaryAll.push(ms);
      if (cell.sampling === 'full' || i === 0 || rng.uniform() < 0.05) {
        out.canary.push({ at, latencyMs: ms, fault: rng.uniform() < FAULT_RATE });
      }
    }
    // Only the baseline traces a judge reads are drawn; thinning a Poisson stream keeps it Poisson.
    let baselineCount: number;
    if (cell.sampling === 'full') {
      baselineCount = rng.poisson(baselineRate * load.rate * keepForJudge);
    } else {
      const requests = rng.poisson(baselineRate * load.rate);
      const sampled = requests === 0 ? 0 : 1 + rng.poisson(0.05 * (requests - 1));
      baselineCount = keepForJudge >= 1 ? sampled : rng.poisson(sampled * keepForJudge);
    }
    for (let i = 0; i < baselineCount; i++) {
      const latencyMs = reported(cell.latency, draw(rng) * factor);
      const sample = { at, latencyMs, fault: rng.uniform() < FAULT_RATE };
      out.baseline.push(sample);
      if (rng.uniform() < keepForKayenta) out.baselineMatched.push(sample);
    }
    yield out;
  }
}

const quantileCache = new Map<LatencyModel, { p98: number; p99: number }>();
export function healthyQuantilesCached(latency: LatencyModel): { p98: number; p99: number } {
  let cached = quantileCache.get(latency);
  if (!cached) {
    cached = healthyQuantiles(latency);
    quantileCache.set(latency, cached);
  }
  return cached;
}
