/**
 * How much more data a test needs before it decides, if the canary keeps behaving as it has: the
 * fewest more canary samples at which `decides(more)` holds, found by doubling then bisection, to
 * within about 2%. Undefined when not even `limit` more would do (e.g. an estimate exactly at a
 * boundary).
 */
export function fewestMoreSamples(
  decides: (more: number) => boolean,
  start: number,
  limit = 1e8,
): number | undefined {
  if (decides(0)) return 0;
  let low = 0;
  let high = Math.max(1, start);
  while (!decides(high)) {
    low = high;
    high *= 2;
    if (high > limit) return undefined;
  }
  while (high - low > Math.max(1, 0.02 * high)) {
    const mid = (low + high) / 2;
    if (decides(mid)) high = mid;
    else low = mid;
  }
  return Math.ceil(high);
}

/** A count as a reader wants an estimate of it: two significant figures ("about 2,400"). */
export function roughly(value: number): number {
  if (value < 100) return Math.ceil(value);
  const unit = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / unit) * unit;
}
