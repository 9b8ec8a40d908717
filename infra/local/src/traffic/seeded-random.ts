import { seededRandom as engineRandom } from '@tollgate/pipelines/random/seeded-random';

/** The engine's seeded generator as a plain draw in [0, 1), so a seed replays the same request mix. */
export function seededRandom(seed: number): () => number {
  return engineRandom(seed).uniform;
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export function integerBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
