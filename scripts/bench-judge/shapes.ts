import type { SeededRandom } from '@tollgate/pipelines/random/seeded-random';

/**
 * The traffic shapes of the benchmark, one concept each: how healthy latency is distributed, how it
 * drifts for both versions alike, and how requests arrive over time.
 */

/**
 * - `lognormal`: median 100 ms, σ 0.5 on the log scale; `heavy`: 10% of requests with 2.2× the log-spread.
 * - `pareto<α>`: a power law, P(latency > x) ∝ x^−α, median 100 ms: a healthy canary already has
 *   1.1^−α of 1% of its requests above baseline p99 + 10% (0.87% at α 1.5, 0.79% at 2.5, 0.68% at 4).
 * - `multimodal`: cache hits and misses — 70% around 8 ms, 29.5% around 120 ms, 0.5% cold around 1.5 s.
 * - `integer`: log-normal around 8 ms, reported in whole milliseconds (most requests tie with many others).
 */
export const LATENCY_MODELS = [
  'lognormal',
  'heavy',
  'pareto1.5',
  'pareto2.5',
  'pareto4',
  'multimodal',
  'integer',
] as const;
export type LatencyModel = (typeof LATENCY_MODELS)[number];

/**
 * Shared drift, the same for both versions: `sine` ±5% over an hour (random phase); `step` +30% from a
 * random moment 3–12 minutes into the bake (a slower dependency); `ramp` +50% spread evenly over
 * minutes 2–12.
 */
export type Drift = 'sine' | 'step' | 'ramp';

/**
 * How requests arrive: `poisson` at a constant rate; `bursty` alternates calm (⅓ of the rate) and
 * bursts (3×, a quarter of the time, ~20 s each) during which both versions are 25% slower (load);
 * `diurnal` ramps from 0.4× to 1.6× the rate over the 30 minutes, latency following load^0.2.
 */
export type Arrivals = 'poisson' | 'bursty' | 'diurnal';

export const MEDIAN_MS = 100;
const SIGMA = 0.5;

export const LATENCY_LABELS: Record<LatencyModel, string> = {
  lognormal: 'σ0.5',
  heavy: 'heavy',
  'pareto1.5': 'Pareto α1.5',
  'pareto2.5': 'Pareto α2.5',
  pareto4: 'Pareto α4',
  multimodal: 'cache hit/miss',
  integer: 'integer ms',
};

/** A drawer of healthy latencies (before drift and before any regression) for one model. */
export function latencyDrawer(model: LatencyModel): (rng: SeededRandom) => number {
  switch (model) {
    case 'lognormal':
      return (rng) => MEDIAN_MS * Math.exp(SIGMA * rng.normal());
    case 'heavy':
      return (rng) => {
        const z = rng.normal();
        return MEDIAN_MS * Math.exp(SIGMA * (rng.uniform() < 0.1 ? 2.2 * z : z));
      };
    case 'pareto1.5':
    case 'pareto2.5':
    case 'pareto4': {
      const alpha = Number(model.slice('pareto'.length));
      const scale = MEDIAN_MS / 2 ** (1 / alpha);
      return (rng) => scale * Math.exp(-Math.log(1 - rng.uniform()) / alpha);
    }
    case 'multimodal':
      return (rng) => {
        const u = rng.uniform();
        if (u < 0.7) return 8 * Math.exp(0.3 * rng.normal());
        if (u < 0.995) return 120 * Math.exp(0.4 * rng.normal());
        return 1500 * Math.exp(0.3 * rng.normal());
      };
    case 'integer':
      return (rng) => 8 * Math.exp(SIGMA * rng.normal());
  }
}

/** What the service reports: whole milliseconds for the `integer` model, as measured otherwise. */
export function reported(model: LatencyModel, latencyMs: number): number {
  return model === 'integer' ? Math.round(latencyMs) : latencyMs;
}

/** The drift factor of each second, for both versions. Consumes its randomness up front. */
export function driftOf(rng: SeededRandom, drift: Drift): (second: number) => number {
  switch (drift) {
    case 'sine': {
      const phase = rng.uniform() * 2 * Math.PI;
      return (second) => Math.exp(0.05 * Math.sin(phase + (2 * Math.PI * second) / 3600));
    }
    case 'step': {
      const at = 180 + Math.floor(rng.uniform() * 540);
      return (second) => (second >= at ? 1.3 : 1);
    }
    case 'ramp':
      return (second) => 1 + 0.5 * Math.min(1, Math.max(0, (second - 120) / 600));
  }
}

/** Each second's load: its rate multiplier and the latency factor load brings (both versions). */
export interface Load {
  rate: number;
  latency: number;
}

/** The load of each second, in order (bursts are a Markov chain, so seconds are asked in order). */
export function loadOf(rng: SeededRandom, arrivals: Arrivals, seconds: number): (second: number) => Load {
  switch (arrivals) {
    case 'poisson':
      return () => ({ rate: 1, latency: 1 });
    case 'bursty': {
      // Calm → burst with probability 1/60 per second, burst → calm 1/20: bursting a quarter of the time.
      let bursting = false;
      return () => {
        bursting = bursting ? rng.uniform() >= 1 / 20 : rng.uniform() < 1 / 60;
        return bursting ? { rate: 3, latency: 1.25 } : { rate: 1 / 3, latency: 1 };
      };
    }
    case 'diurnal':
      return (second) => {
        const rate = 0.4 + (1.2 * second) / seconds;
        return { rate, latency: rate ** 0.2 };
      };
  }
}
