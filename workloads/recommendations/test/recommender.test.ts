import { describe, expect, it } from 'vitest';
import data from '../data/baskets.json';
import { type Dataset, Recommender } from '../src/recommender';

const small: Dataset = {
  products: { A: 'Coffee', B: 'Grinder', C: 'Filter', D: 'Yoga mat' },
  baskets: [
    { customerId: 'u1', items: ['A', 'B'] },
    { customerId: 'u2', items: ['A', 'B', 'C'] },
    { customerId: 'u3', items: ['A', 'C'] },
    { customerId: 'u4', items: ['D'] },
    { customerId: 'u5', items: ['A'] },
  ],
};

describe('Recommender', () => {
  const r = new Recommender(small);

  it('computes cosine similarity from basket co-occurrence', () => {
    // A in 4 baskets, B in 2, together in 2 → 2 / sqrt(8)
    expect(r.similarity('A', 'B')).toBeCloseTo(2 / Math.sqrt(8), 10);
    expect(r.similarity('A', 'D')).toBe(0);
    expect(r.similarity('B', 'C')).toBeCloseTo(1 / 2, 10);
  });

  it('recommends co-bought items the customer does not own, best first, with reasons', () => {
    const result = r.recommend('u1', 5);
    expect(result.strategy).toBe('co-occurrence');
    expect(result.recommendations).toEqual([
      // C: sim(A,C) + sim(B,C) = 2/sqrt(8) + 1/2
      { sku: 'C', name: 'Filter', score: 1.2071, because: ['A', 'B'] },
    ]);
  });

  it('falls back to popular items for a customer without co-bought history, saying so', () => {
    const unknown = r.recommend('nobody', 2);
    expect(unknown.strategy).toBe('popular');
    expect(unknown.recommendations.map((x) => x.sku)).toEqual(['A', 'B']);
    const isolated = r.recommend('u4', 5);
    expect(isolated.strategy).toBe('popular');
    expect(isolated.recommendations.map((x) => x.sku)).not.toContain('D');
  });

  it('respects the limit and never recommends owned items on the bundled dataset', () => {
    const bundled = new Recommender(data);
    for (const customerId of ['cust-001', 'cust-003', 'cust-005']) {
      const owned = new Set(data.baskets.filter((b) => b.customerId === customerId).flatMap((b) => b.items));
      const result = bundled.recommend(customerId, 3);
      expect(result.recommendations.length).toBeLessThanOrEqual(3);
      expect(result.recommendations.length).toBeGreaterThan(0);
      for (const rec of result.recommendations) expect(owned.has(rec.sku)).toBe(false);
    }
  });
});
