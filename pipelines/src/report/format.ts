import type { Verdict } from '../judge/verdict';
import type { GateReading } from '../record/reading';
import type { ReleaseOutcome } from '../record/record';

export const VERDICT_MARK: Record<Verdict, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive',
  error: '🛑 error',
};

export const OUTCOME_MARK: Record<ReleaseOutcome, string> = {
  'in-progress': '⏳ in progress',
  promoted: '✅ promoted',
  'rolled-back': '↩️ rolled back',
  held: '⏸️ held for approval',
  blocked: '⛔ blocked',
  failed: '🛑 failed',
  abandoned: '🕳️ abandoned',
};

export function formatValue(value: number | undefined, unit: GateReading['unit']): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (unit === 'ratio') return `${Number((value * 100).toFixed(2))}%`;
  if (unit === 'ms') return `${value.toFixed(1)} ms`;
  return String(value);
}

/** "T+4m30s" relative to the release start. */
export function offset(at: number, start: number): string {
  const seconds = Math.round((at - start) / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `T+${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `T+${seconds}s`;
}

/** Keeps a table cell on one line and free of stray pipes. */
export function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', '<br>');
}
