import { integerBetween, pick } from '../seeded-random';
import type { Scenario, ScenarioOptions } from './scenario';

const TERMS = [
  'kettle',
  'tea',
  'coffee',
  'mug',
  'yoga mat',
  'running',
  'camping',
  'desk lamp',
  'wireless',
  'espresso',
  'grinder',
  'fountain pen',
  'notebook',
  'usb-c charger',
  'cast iron',
  'pour-over',
  'green tea',
  'weights',
];
const CATEGORIES = ['coffee-tea', 'electronics', 'fitness', 'kitchen', 'outdoors', 'stationery'];

/** Shoppers searching the catalog: terms, a category, a price band, later pages (GET /search). */
export function productSearchScenario({ random, clientErrorShare }: ScenarioOptions): Scenario {
  const query = (): URLSearchParams => {
    const roll = random();
    if (roll < 0.5) return new URLSearchParams({ q: pick(random, TERMS) });
    if (roll < 0.7)
      return new URLSearchParams({ q: pick(random, TERMS), category: pick(random, CATEGORIES) });
    if (roll < 0.85) {
      const minPrice = integerBetween(random, 0, 40) * 100;
      return new URLSearchParams({
        category: pick(random, CATEGORIES),
        minPrice: String(minPrice),
        maxPrice: String(minPrice + integerBetween(random, 10, 100) * 100),
      });
    }
    return new URLSearchParams({
      q: pick(random, TERMS),
      page: String(integerBetween(random, 1, 3)),
      pageSize: '5',
    });
  };
  // A client's mistakes: an unknown category, a page size over the limit of 50.
  const mistake = (): URLSearchParams =>
    random() < 0.5
      ? new URLSearchParams({ q: pick(random, TERMS), category: 'garden' })
      : new URLSearchParams({ q: pick(random, TERMS), pageSize: '500' });
  return {
    entry: 'http',
    next: () => ({
      kind: 'http',
      method: 'GET',
      path: `/search?${(random() < clientErrorShare ? mistake() : query()).toString()}`,
    }),
  };
}
