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

/** "at the current rate of 1.2 canary samples per second that is about 4 more minutes". */
export function timeToGo(moreSamples: number, perSecond: number): string {
  const minutes = moreSamples / perSecond / 60;
  const shown = Number(perSecond.toPrecision(2));
  const rate = `at the current rate of ${shown} canary sample${shown === 1 ? '' : 's'} per second`;
  if (minutes < 1) return `${rate} that is less than a minute`;
  if (minutes < 120)
    return `${rate} that is about ${Math.round(minutes)} more minute${Math.round(minutes) === 1 ? '' : 's'}`;
  return `${rate} that is about ${Number((minutes / 60).toFixed(1))} more hours`;
}
