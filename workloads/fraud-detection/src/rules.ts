/**
 * Explicit, ordered fraud rules. Each returns the points it adds and why; the score is their sum capped
 * at 100. No learned weights: a reviewer can recompute every decision by hand from the reasons.
 */

export type Decision = 'allow' | 'review' | 'deny';

export interface Reason {
  rule: 'amount' | 'velocity' | 'velocity_unavailable' | 'address_mismatch';
  points: number;
  detail: string;
}

export interface FraudFacts {
  /** Order total in minor units. */
  total: number;
  currency: string;
  /** Orders by this customer inside the velocity window before this one; undefined when it could not be read. */
  recentOrders: number | undefined;
  windowMinutes: number;
  billingCountry: string;
  shippingCountry: string;
  billingPostalCode: string;
  shippingPostalCode: string;
}

export interface FraudScore {
  score: number;
  decision: Decision;
  reasons: Reason[];
}

export const REVIEW_AT = 40;
export const DENY_AT = 70;

/** [at least, points], highest tier first; only the highest matching tier applies. */
const AMOUNT_TIERS: ReadonlyArray<readonly [number, number]> = [
  [250_000, 40],
  [100_000, 20],
];
const VELOCITY_TIERS: ReadonlyArray<readonly [number, number]> = [
  [5, 40],
  [3, 20],
];

function tier(
  value: number,
  tiers: ReadonlyArray<readonly [number, number]>,
): readonly [number, number] | undefined {
  return tiers.find(([atLeast]) => value >= atLeast);
}

function amountRule(f: FraudFacts): Reason | undefined {
  const hit = tier(f.total, AMOUNT_TIERS);
  if (!hit) return undefined;
  return { rule: 'amount', points: hit[1], detail: `total ${f.total} ${f.currency} is at least ${hit[0]}` };
}

function velocityRule(f: FraudFacts): Reason | undefined {
  if (f.recentOrders === undefined) {
    return {
      rule: 'velocity_unavailable',
      points: 0,
      detail: 'order velocity could not be read; sent to review',
    };
  }
  const hit = tier(f.recentOrders, VELOCITY_TIERS);
  if (!hit) return undefined;
  const detail = `${f.recentOrders} orders in the last ${f.windowMinutes} minutes (threshold ${hit[0]})`;
  return { rule: 'velocity', points: hit[1], detail };
}

function addressRule(f: FraudFacts): Reason | undefined {
  if (f.billingCountry !== f.shippingCountry) {
    const detail = `billing country ${f.billingCountry} differs from shipping country ${f.shippingCountry}`;
    return { rule: 'address_mismatch', points: 30, detail };
  }
  const norm = (code: string) => code.replaceAll(/\s+/g, '').toUpperCase();
  if (norm(f.billingPostalCode) !== norm(f.shippingPostalCode)) {
    return { rule: 'address_mismatch', points: 10, detail: 'billing and shipping postal codes differ' };
  }
  return undefined;
}

const RULES = [amountRule, velocityRule, addressRule];

export function scoreOrder(facts: FraudFacts): FraudScore {
  const reasons = RULES.map((rule) => rule(facts)).filter((r): r is Reason => r !== undefined);
  const score = Math.min(
    100,
    reasons.reduce((sum, r) => sum + r.points, 0),
  );
  let decision: Decision = score >= DENY_AT ? 'deny' : score >= REVIEW_AT ? 'review' : 'allow';
  if (decision === 'allow' && facts.recentOrders === undefined) decision = 'review';
  return { score, decision, reasons };
}
