/**
 * A statistic of raw samples as CloudWatch names them: Sum, SampleCount, Average, Minimum, Maximum,
 * or a percentile `pNN` / `pNN.NN`. Undefined when the period has no samples (a missing datapoint).
 *
 * Percentiles use the nearest-rank method over the exact raw values (the value at rank ceil(p/100 × n)):
 * CloudWatch computes them from raw values too, within its own documented approximation; p0 is the
 * minimum and p100 the maximum in both.
 */
export function statistic(values: readonly number[], stat: string): number | undefined {
  if (values.length === 0) return undefined;
  switch (stat) {
    case 'Sum':
      return sum(values);
    case 'SampleCount':
      return values.length;
    case 'Average':
      return sum(values) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    default:
      return percentile(values, percentileOf(stat));
  }
}

const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/;

function percentileOf(stat: string): number {
  if (!PERCENTILE.test(stat)) {
    throw new Error(`unsupported statistic ${stat}: use Sum, SampleCount, Average, Minimum, Maximum or pNN`);
  }
  return Number(stat.slice(1));
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
