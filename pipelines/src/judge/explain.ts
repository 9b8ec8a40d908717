/** Number formatting for the sentences judgements carry; release managers read these. */

export function percent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+∞%' : '−∞%';
  return `${Number((fraction * 100).toFixed(digits))}%`;
}

export function signedPercent(fraction: number, digits = 1): string {
  return `${fraction >= 0 ? '+' : ''}${percent(fraction, digits)}`;
}

export function milliseconds(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value >= 100 ? Math.round(value) : Number(value.toPrecision(3))} ms`;
}

/** An evidence ratio, e.g. "37×", "0.4×"; past a million a release manager only needs "over". */
export function times(ratio: number): string {
  if (ratio >= 1e6) return 'over 1,000,000×';
  if (!Number.isFinite(ratio)) return '0×';
  return `${Number(ratio.toPrecision(ratio >= 10 ? 3 : 2))}×`;
}

/** 12345 → "12,345" (toLocaleString is needlessly slow in a hot loop). */
export function count(value: number): string {
  const digits = String(Math.round(Math.abs(value)));
  let grouped = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) grouped += ',';
    grouped += digits[i];
  }
  return value < 0 ? `-${grouped}` : grouped;
}

export function tooFewSamplesReason(samples: { canary: number; baseline: number }, needed: number): string {
  return `too few samples: canary ${count(samples.canary)}, baseline ${count(samples.baseline)}, need ${count(needed)} each`;
}
