/** Linear-interpolated percentile (R type 7, NumPy's default) of already sorted values; q in [0, 1]. */
export function percentileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (position - lower);
}

export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
