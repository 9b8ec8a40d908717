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

/** A reading's canary side as shown: an alarm's state, or the canary's value in the reading's unit. */
export function readingCanary(reading: GateReading): string {
  return reading.unit === 'state' ? (reading.state ?? '—') : formatValue(reading.canary, reading.unit);
}

/** "canary / baseline" samples behind a reading, or — when it counts none. */
export function readingSamples(reading: Pick<GateReading, 'samples'>): string {
  return reading.samples ? `${reading.samples.canary} / ${reading.samples.baseline}` : '—';
}

/** What a reading covers, relative to the release start: "T+0s–T+30s", or "T+1m00s" for one moment. */
export function readingWindow(reading: Pick<GateReading, 'window'>, start: number): string {
  const { from, to } = reading.window;
  return from === to ? offset(from, start) : `${offset(from, start)}–${offset(to, start)}`;
}

/** "T+4m30s" relative to the release start. */
export function offset(at: number, start: number): string {
  const seconds = Math.round((at - start) / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `T+${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `T+${seconds}s`;
}

/**
 * Text for the markdown report: on one line (a table cell's), free of stray pipes, and with `&`, `<`
 * and `>` as entities, so a reason that contains markup shows as text instead of being read as HTML.
 */
export function cell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replaceAll('\n', '<br>');
}
