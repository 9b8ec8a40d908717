import { integerBetween, pick } from '../seeded-random';
import { CARD_TOKENS } from './orders';
import type { Scenario, ScenarioOptions } from './scenario';

const CURRENCIES = ['GBP', 'EUR', 'USD'];

/**
 * The fulfillment state machine's payment step: `{ orderId, paymentToken, amount, currency }`. Never a
 * mistake: a declined payment is a thrown error, which Lambda counts in Errors, and payments' errors alarm
 * trips on one; the client error share is ignored here.
 */
export function paymentsScenario({ random }: ScenarioOptions): Scenario {
  let n = 0;
  const run = Math.floor(random() * 1e9).toString(36);
  return {
    entry: 'invoke',
    next: () => {
      n += 1;
      return {
        kind: 'invoke',
        payload: {
          orderId: `ord-${run}-${n}`,
          paymentToken: pick(random, CARD_TOKENS),
          amount: integerBetween(random, 899, 40_000),
          currency: pick(random, CURRENCIES),
        },
      };
    },
  };
}
