import { describe, expect, it } from 'vitest';
import { LatencySketch } from '../../src/judge/quantile-sketch';
import { seededRandom } from '../../src/random/seeded-random';

describe('LatencySketch', () => {
  it('keeps quantiles within 0.5% of the exact ones', () => {
    const rng = seededRandom(7);
    const sketch = new LatencySketch();
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const value = Math.exp(Math.log(120) + 0.8 * rng.normal());
      values.push(value);
      sketch.add(value);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.01, 0.5, 0.9, 0.99, 0.999]) {
      const exact = values[Math.floor(q * (values.length - 1))] ?? Number.NaN;
      expect(Math.abs(sketch.quantile(q) / exact - 1)).toBeLessThan(0.0051);
    }
    expect(sketch.count).toBe(50_000);
  });

  it('is empty-safe and clamps extreme values', () => {
    const sketch = new LatencySketch();
    expect(sketch.quantile(0.99)).toBeNaN();
    sketch.add(0);
    sketch.add(1e12);
    expect(sketch.quantile(0)).toBeLessThan(0.0011);
    expect(sketch.quantile(1)).toBeGreaterThan(0.99e9);
  });
});
