import { describe, expect, it } from 'vitest';
import { type FraudFacts, scoreOrder } from '../src/rules';

const facts = (overrides: Partial<FraudFacts> = {}): FraudFacts => ({
  total: 5_000,
  currency: 'USD',
  recentOrders: 0,
  windowMinutes: 60,
  billingCountry: 'US',
  shippingCountry: 'US',
  billingPostalCode: '94105',
  shippingPostalCode: '94105',
  ...overrides,
});

describe('scoreOrder', () => {
  it('allows an ordinary order with no reasons', () => {
    expect(scoreOrder(facts())).toEqual({ score: 0, decision: 'allow', reasons: [] });
  });

  it.each([
    [99_999, 0],
    [100_000, 20],
    [249_999, 20],
    [250_000, 40],
  ])('scores amount %i with %i points (highest tier only)', (total, points) => {
    expect(scoreOrder(facts({ total })).score).toBe(points);
  });

  it.each([
    [2, 0],
    [3, 20],
    [5, 40],
    [12, 40],
  ])('scores %i recent orders with %i points', (recentOrders, points) => {
    const result = scoreOrder(facts({ recentOrders }));
    expect(result.score).toBe(points);
    if (points > 0)
      expect(result.reasons[0]?.detail).toContain(`${recentOrders} orders in the last 60 minutes`);
  });

  it('scores a country mismatch higher than a postal-code mismatch, ignoring spacing and case', () => {
    expect(scoreOrder(facts({ billingCountry: 'GB' })).score).toBe(30);
    expect(scoreOrder(facts({ billingPostalCode: '10001' })).score).toBe(10);
    expect(scoreOrder(facts({ billingPostalCode: 'sw1y 4jh', shippingPostalCode: 'SW1Y4JH' })).score).toBe(0);
  });

  it('reviews from 40 and denies from 70, with every reason listed', () => {
    const review = scoreOrder(facts({ total: 250_000 }));
    expect(review.decision).toBe('review');
    const deny = scoreOrder(facts({ total: 250_000, billingCountry: 'NG' }));
    expect(deny).toMatchObject({ score: 70, decision: 'deny' });
    expect(deny.reasons.map((r) => r.rule)).toEqual(['amount', 'address_mismatch']);
  });

  it('caps the score at 100', () => {
    const result = scoreOrder(facts({ total: 900_000, recentOrders: 9, billingCountry: 'FR' }));
    expect(result.score).toBe(100);
    expect(result.decision).toBe('deny');
  });

  it('never allows when velocity is unknown, and says why', () => {
    const result = scoreOrder(facts({ recentOrders: undefined }));
    expect(result.decision).toBe('review');
    expect(result.reasons).toEqual([expect.objectContaining({ rule: 'velocity_unavailable', points: 0 })]);
  });
});
