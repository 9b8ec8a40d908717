/**
 * Item-to-item collaborative filtering over purchase baskets: two items are similar when they are bought
 * together (cosine of their basket co-occurrence). A customer's recommendations are the items most similar
 * to what they already bought, excluding those; customers with no history get the most popular items,
 * labelled as such.
 */

export interface Basket {
  customerId: string;
  items: string[];
}

export interface Dataset {
  products: Record<string, string>;
  baskets: Basket[];
}

export interface Recommendation {
  sku: string;
  name: string;
  score: number;
  /** Owned items that contributed most to the score (empty for popularity picks). */
  because: string[];
}

export interface RecommendationResult {
  customerId: string;
  strategy: 'co-occurrence' | 'popular';
  recommendations: Recommendation[];
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

export class Recommender {
  private readonly basketCount = new Map<string, number>();
  private readonly together = new Map<string, Map<string, number>>();
  private readonly owned = new Map<string, Set<string>>();

  constructor(private readonly data: Dataset) {
    for (const basket of data.baskets) this.add(basket);
  }

  private add(basket: Basket): void {
    const items = [...new Set(basket.items)];
    const owned = this.owned.get(basket.customerId) ?? new Set<string>();
    for (const item of items) {
      owned.add(item);
      this.basketCount.set(item, (this.basketCount.get(item) ?? 0) + 1);
      const row = this.together.get(item) ?? new Map<string, number>();
      for (const other of items) if (other !== item) row.set(other, (row.get(other) ?? 0) + 1);
      this.together.set(item, row);
    }
    this.owned.set(basket.customerId, owned);
  }

  /** Cosine similarity of two items' basket sets, 0..1. */
  similarity(a: string, b: string): number {
    const both = this.together.get(a)?.get(b) ?? 0;
    if (both === 0) return 0;
    return both / Math.sqrt((this.basketCount.get(a) ?? 1) * (this.basketCount.get(b) ?? 1));
  }

  recommend(customerId: string, limit: number): RecommendationResult {
    const owned = this.owned.get(customerId) ?? new Set<string>();
    const scores = new Map<string, Array<[string, number]>>();
    for (const item of owned) {
      for (const candidate of this.together.get(item)?.keys() ?? []) {
        if (owned.has(candidate)) continue;
        const list = scores.get(candidate) ?? [];
        list.push([item, this.similarity(item, candidate)]);
        scores.set(candidate, list);
      }
    }
    if (scores.size === 0)
      return { customerId, strategy: 'popular', recommendations: this.popular(owned, limit) };
    const recommendations = [...scores]
      .map(([sku, parts]) => ({
        sku,
        name: this.name(sku),
        score: round(parts.reduce((sum, [, s]) => sum + s, 0)),
        because: parts
          .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
          .slice(0, 2)
          .map(([item]) => item),
      }))
      .sort((x, y) => y.score - x.score || x.sku.localeCompare(y.sku))
      .slice(0, limit);
    return { customerId, strategy: 'co-occurrence', recommendations };
  }

  private popular(owned: Set<string>, limit: number): Recommendation[] {
    const total = this.data.baskets.length || 1;
    return [...this.basketCount]
      .filter(([sku]) => !owned.has(sku))
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
      .slice(0, limit)
      .map(([sku, count]) => ({ sku, name: this.name(sku), score: round(count / total), because: [] }));
  }

  private name(sku: string): string {
    return this.data.products[sku] ?? sku;
  }
}
