import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A reproducible source of random draws: the same seed always yields the same sequence. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Poisson-distributed count with the given mean. */
  poisson(mean: number): number;
}

export function seededRandom(seed: number): SeededRandom {
  const rng = xoroshiro128plus(seed | 0);
  const uniform = () => uniformFloat64(rng);
  const normal = () => {
    // Box–Muller; 1 - u keeps the log argument away from zero.
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const poisson = (mean: number) => {
    if (mean <= 0) return 0;
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    // Knuth's product method is exact and cheap for small means.
    const limit = Math.exp(-mean);
    let count = 0;
    let product = uniform();
    while (product > limit) {
      count += 1;
      product *= uniform();
    }
    return count;
  };
  return { uniform, normal, poisson };
}

/** Derives a stable 32-bit seed from text, so a window or version gets its own reproducible stream. */
export function seedFrom(...parts: readonly (string | number)[]): number {
  let hash = 2166136261;
  for (const char of parts.join('|')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 16777619);
  }
  return hash | 0;
}
