import type { Product } from './catalog';

/**
 * Tokenised product search: an inverted index over name (weight 3), tags and category (2) and description
 * (1). Every query term must match (AND); results rank by summed field weights, then by name.
 */

const STOPWORDS = new Set(['a', 'an', 'and', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);
const FIELD_WEIGHTS = { name: 3, tags: 2, category: 2, description: 1 } as const;

/** Lower-cased, accent-free, stop words dropped, simple plural folding (mugs → mug, but not glass → glas). */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKD')
    .replaceAll(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t !== '' && !STOPWORDS.has(t))
    .map((t) => (t.length > 3 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t));
}

export interface SearchQuery {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  page: number;
  pageSize: number;
}

export interface SearchHit extends Product {
  score: number;
}

export interface SearchPage {
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
  results: SearchHit[];
}

export class ProductIndex {
  private readonly postings = new Map<string, Map<string, number>>();
  private readonly byId = new Map<string, Product>();
  readonly categories: ReadonlySet<string>;

  constructor(products: readonly Product[]) {
    for (const product of products) this.add(product);
    this.categories = new Set(products.map((p) => p.category));
  }

  private add(product: Product): void {
    this.byId.set(product.id, product);
    const fields: Record<keyof typeof FIELD_WEIGHTS, string> = {
      name: product.name,
      tags: product.tags.join(' '),
      category: product.category,
      description: product.description,
    };
    for (const [field, text] of Object.entries(fields) as Array<[keyof typeof FIELD_WEIGHTS, string]>) {
      for (const term of new Set(tokenize(text))) {
        const posting = this.postings.get(term) ?? new Map<string, number>();
        posting.set(product.id, (posting.get(product.id) ?? 0) + FIELD_WEIGHTS[field]);
        this.postings.set(term, posting);
      }
    }
  }

  private match(q: string | undefined): SearchHit[] {
    const terms = [...new Set(tokenize(q ?? ''))];
    if (terms.length === 0) return [...this.byId.values()].map((p) => ({ ...p, score: 0 }));
    const [first, ...rest] = terms.map((t) => this.postings.get(t) ?? new Map<string, number>());
    const hits: SearchHit[] = [];
    for (const [id, weight] of first ?? new Map<string, number>()) {
      if (!rest.every((posting) => posting.has(id))) continue;
      const score = rest.reduce((sum, posting) => sum + (posting.get(id) ?? 0), weight);
      const product = this.byId.get(id);
      if (product) hits.push({ ...product, score });
    }
    return hits;
  }

  search(query: SearchQuery): SearchPage {
    const hits = this.match(query.q)
      .filter((p) => query.category === undefined || p.category === query.category)
      .filter((p) => query.minPrice === undefined || p.price >= query.minPrice)
      .filter((p) => query.maxPrice === undefined || p.price <= query.maxPrice)
      .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
    const start = (query.page - 1) * query.pageSize;
    return {
      total: hits.length,
      page: query.page,
      pageSize: query.pageSize,
      totalPages: Math.ceil(hits.length / query.pageSize),
      results: hits.slice(start, start + query.pageSize),
    };
  }
}
