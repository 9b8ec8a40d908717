import { describe, expect, it } from 'vitest';
import catalog from '../data/catalog.json';
import { type Product, validateCatalog } from '../src/catalog';
import { ProductIndex, tokenize } from '../src/search';

const index = new ProductIndex(validateCatalog(catalog));
const names = (page: { results: Product[] }) => page.results.map((p) => p.name);
const all = { page: 1, pageSize: 50 };

describe('tokenize', () => {
  it('lower-cases, strips accents and punctuation, drops stop words and folds plurals', () => {
    expect(tokenize('The Café Mugs, for Glass-lovers!')).toEqual(['cafe', 'mug', 'glass', 'lover']);
  });
});

describe('ProductIndex', () => {
  it('bundles about fifty valid products', () => {
    expect(catalog.length).toBe(50);
  });

  it('requires every term to match and ranks name matches above description matches', () => {
    const page = index.search({ q: 'coffee beans', ...all });
    // name 3 + tags 2 (+ description 1 per term): the two coffee-bean products named for both terms lead.
    expect(page.results.map((p) => [p.name, p.score])).toEqual([
      ['Single-Origin Coffee Beans 1kg', 13],
      ['Decaf Coffee Beans 500g', 12],
      ['Espresso Blend Beans 1kg', 9],
    ]);
    const kettles = index.search({ q: 'kettle', ...all });
    expect(names(kettles).slice(0, 2).sort()).toEqual([
      'Gooseneck Pour-Over Kettle',
      'Stainless Electric Kettle',
    ]);
  });

  it('matches plurals against singulars', () => {
    expect(names(index.search({ q: 'mugs', ...all }))).toContain('Stoneware Mug');
  });

  it('filters by category and inclusive price range', () => {
    const page = index.search({ category: 'fitness', minPrice: 1499, maxPrice: 2499, ...all });
    expect(page.results.every((p) => p.category === 'fitness' && p.price >= 1499 && p.price <= 2499)).toBe(
      true,
    );
    expect(names(page)).toEqual([
      'Cork Yoga Block',
      'Foam Roller',
      'Insulated Water Bottle',
      'Resistance Bands Set',
    ]);
  });

  it('paginates with totals', () => {
    const first = index.search({ page: 1, pageSize: 20 });
    const last = index.search({ page: 3, pageSize: 20 });
    expect(first).toMatchObject({ total: 50, totalPages: 3 });
    expect(first.results).toHaveLength(20);
    expect(last.results).toHaveLength(10);
    expect(new Set([...first.results, ...last.results].map((p) => p.id)).size).toBe(30);
  });

  it('returns nothing for an unknown term', () => {
    expect(index.search({ q: 'kettle zeppelin', ...all }).total).toBe(0);
  });

  it('rejects a catalog with duplicate ids', () => {
    const [p] = catalog;
    expect(() => validateCatalog([p as Product, p as Product])).toThrow(/duplicate id/);
  });
});
