import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalSurvival } from '../../src/judge/normal';

// Reference values from SciPy 1.17 (scipy.stats.norm.cdf / sf / ppf), printed by
// scripts/bench-judge/reference/normal-values.py.
const CDF: [number, number][] = [
  [-8, 6.22096057427174e-16],
  [-3, 0.0013498980316300933],
  [-1.5, 0.06680720126885807],
  [0.5, 0.6914624612740131],
  [1.96, 0.9750021048517795],
  [3.5, 0.9997673709209645],
];
const SURVIVAL: [number, number][] = [
  [2.5, 0.006209665325776132],
  [6, 9.865876450376946e-10],
  [10, 7.61985302416047e-24],
];
const QUANTILE: [number, number][] = [
  [1e-10, -6.361340902404056],
  [0.001, -3.090232306167813],
  [0.01, -2.3263478740408408],
  [0.975, 1.959963984540054],
  [0.995, 2.5758293035489004],
];

describe('standard normal', () => {
  it.each(CDF)('cdf(%d)', (z, p) => expect(Math.abs(normalCdf(z) / p - 1)).toBeLessThan(1e-11));
  it.each(SURVIVAL)('survival(%d)', (z, p) =>
    expect(Math.abs(normalSurvival(z) / p - 1)).toBeLessThan(1e-11),
  );
  it.each(QUANTILE)('quantile(%d)', (p, z) => expect(normalQuantile(p)).toBeCloseTo(z, 12));
  it('handles the ends', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(0.5)).toBe(0);
  });
});
