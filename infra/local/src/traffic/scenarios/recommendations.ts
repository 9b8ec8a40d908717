import { integerBetween } from '../seeded-random';
import type { Scenario, ScenarioOptions } from './scenario';

/** Product pages asking for a customer's recommendations: known customers (cust-001…023) and new ones. */
export function recommendationsScenario({ random, clientErrorShare }: ScenarioOptions): Scenario {
  const customer = () => {
    const known = random() < 0.8;
    const n = known ? integerBetween(random, 1, 23) : integerBetween(random, 100, 999);
    return `cust-${String(n).padStart(3, '0')}`;
  };
  return {
    entry: 'http',
    next: () => {
      // A client's mistake: the customer id left out.
      const params =
        random() < clientErrorShare
          ? new URLSearchParams({ limit: '5' })
          : new URLSearchParams({ customerId: customer(), limit: String(integerBetween(random, 1, 10)) });
      return { kind: 'http', method: 'GET', path: `/recommendations?${params.toString()}` };
    },
  };
}
