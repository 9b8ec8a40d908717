import { pick } from '../seeded-random';
import { cart } from './orders';
import type { Scenario, ScenarioOptions } from './scenario';

/** Shoppers checking out their carts (POST /checkout with an Idempotency-Key, as the storefront retries safely). */
export function checkoutScenario({ random, clientErrorShare }: ScenarioOptions): Scenario {
  let n = 0;
  const run = Math.floor(random() * 1e9).toString(36);
  return {
    entry: 'http',
    next: () => {
      n += 1;
      // A client's mistake: a destination checkout does not ship to (400 unsupported_destination).
      const body =
        random() < clientErrorShare ? cart(random, n, pick(random, ['JP', 'BR', 'AU'])) : cart(random, n);
      return {
        kind: 'http',
        method: 'POST',
        path: '/checkout',
        headers: { 'content-type': 'application/json', 'idempotency-key': `checkout-${run}-${n}` },
        body: { ...body, shippingMethod: random() < 0.8 ? 'standard' : 'express' },
      };
    },
  };
}
