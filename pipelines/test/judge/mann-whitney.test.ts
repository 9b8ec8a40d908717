import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Alternative, kthDifference, mannWhitney } from '../../src/judge/mann-whitney';

/** Cases and R's answers, written by scripts/bench-judge/reference/wilcox-fixtures.R. */
interface Case {
  name: string;
  alternative: Alternative;
  confLevel: number;
  mu: number;
  x: number[];
  y: number[];
  statistic: number;
  pValue: number;
  estimate: number;
  interval: [number | string, number | string];
  method: string;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/wilcox.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};
const bound = (value: number | string) => (typeof value === 'number' ? value : Number(value));

function sortedDifferences(x: number[], y: number[]): number[] {
  return x.flatMap((a) => y.map((b) => a - b)).sort((a, b) => a - b);
}

describe("Mann-Whitney U with Hodges-Lehmann interval matches R's wilcox.test", () => {
  it('has the reference cases', () => {
    expect(fixtures.cases.length).toBeGreaterThanOrEqual(12);
  });

  for (const c of fixtures.cases) {
    describe(c.name, () => {
      const result = mannWhitney(c.x, c.y, { alternative: c.alternative, confLevel: c.confLevel, mu: c.mu });

      it('uses the same method (exact or normal approximation)', () => {
        expect(result.method).toBe(c.method.includes('exact') ? 'exact' : 'normal');
      });

      it('has the same W statistic and p-value', () => {
        expect(result.statistic).toBe(c.statistic);
        expect(result.pValue).toBeCloseTo(c.pValue, 12);
        expect(Math.abs(result.pValue / c.pValue - 1)).toBeLessThan(1e-9);
      });

      it('has the same confidence interval', () => {
        // R finds the normal-approximation ends by uniroot with tol 1e-4; the exact ones are order
        // statistics, which we match to the last bit.
        const tolerance = result.method === 'exact' ? 1e-12 : 2e-4;
        for (const side of [0, 1] as const) {
          const expected = bound(c.interval[side]);
          if (Number.isFinite(expected))
            expect(Math.abs(result.interval[side] - expected)).toBeLessThan(tolerance);
          else expect(result.interval[side]).toBe(expected);
        }
      });

      it('has the same Hodges-Lehmann estimate', () => {
        if (result.method === 'exact') {
          expect(result.estimate).toBeCloseTo(c.estimate, 9);
          return;
        }
        // With an even number of pairs R's uniroot may stop anywhere between the two middle
        // differences (the statistic is exactly zero there); we report their midpoint.
        const diffs = sortedDifferences(c.x, c.y);
        const half = Math.floor(diffs.length / 2);
        const low = diffs.length % 2 === 1 ? (diffs[half] ?? 0) : (diffs[half - 1] ?? 0);
        const high = diffs[half] ?? 0;
        expect(c.estimate).toBeGreaterThanOrEqual(low - 2e-4);
        expect(c.estimate).toBeLessThanOrEqual(high + 2e-4);
        expect(result.estimate).toBeCloseTo((low + high) / 2, 9);
      });
    });
  }

  it('selects the k-th pairwise difference without forming them all', () => {
    const x = Float64Array.from({ length: 300 }, (_, i) => Math.sin(i) * 50 + i / 7).sort();
    const y = Float64Array.from({ length: 400 }, (_, i) => Math.cos(i * 1.3) * 40 + i / 11).sort();
    const all = sortedDifferences([...x], [...y]);
    for (const k of [1, 2, 500, 60_000, 60_001, 119_999, 120_000]) {
      expect(kthDifference(x, y, k)).toBe(all[k - 1]);
    }
  });

  it('refuses an empty side', () => {
    expect(() => mannWhitney([], [1, 2])).toThrow(/at least one value/);
  });
});
