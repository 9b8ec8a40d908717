import type { GateReading } from '../record/reading';

/**
 * The judge's details of a reading as one line of evidence, under the judge's own names (see
 * `Judgement` in `judge/canary-judge.ts`): "estimate 0.6129 · estimateKind relative change ·
 * interval 0.3792 to 0.8193 · …". Undefined when the judge gave none.
 */
export function judgeDetails(reading: GateReading): string | undefined {
  const entries = Object.entries(reading.details ?? {});
  if (entries.length === 0) return undefined;
  return entries.map(([key, value]) => `${key} ${detailValue(value)}`).join(' · ');
}

function detailValue(value: number | string | readonly number[]): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return figure(value);
  return value.map(figure).join(' to ');
}

/** Four significant digits: enough to check the judge's arithmetic, short enough to read. */
function figure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1e6) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}
