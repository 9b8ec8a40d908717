import type { Verdict } from '../judge/verdict';
import type { GateReading } from '../record/reading';
import { formatDuration } from '../time/duration';
import type { GateWatchResult } from './gate-watch';

/**
 * The reports of a gate watch. A watch is not a release (nothing moved, the ledger keeps no record of
 * it), so it has its own small report rather than the release record's. `report/format.ts` is not
 * importable from here (release → report is against the import table), hence the marks and `cell` below,
 * kept the same as a release report's.
 */
const MARK: Record<Verdict, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive',
  error: '🛑 error',
};

const BACKEND_NOTE: Record<GateWatchResult['backend'], string> = {
  memory: '**Simulated** (memory backend): the signals are simulated.',
  local: 'Local cloud (`infra/local`).',
  aws: 'AWS.',
};

/** A job-summary-ready report: the verdict first, then the last poll's readings and every poll. */
export function gateMarkdown(result: GateWatchResult): string {
  const compared = result.compared
    ? ` · **Compared:** ${result.compared.canary} (canary) against ${result.compared.baseline} (baseline)`
    : '';
  const header = [
    `## ${MARK[result.verdict]}: gates of ${result.workload} in ${result.environment} (watched, nothing moved)`,
    '',
    `${BACKEND_NOTE[result.backend]} **Window:** ${formatDuration(result.windowMs)}, polled every ${formatDuration(result.pollIntervalMs)} · **Polls:** ${result.polls} · **Traffic:** ${cell(result.traffic)}${compared} · **Started:** ${new Date(result.startedAt).toISOString()}`,
    '',
    `> ${cell(result.reason)}`,
  ].join('\n');
  const last = ['### Last poll', '', readingsTable(result.readings)].join('\n');
  return `${[header, last, pollTable(result)].join('\n\n')}\n`;
}

/** The machine-readable report: the whole result, and whether its signals were simulated. */
export function gateJson(result: GateWatchResult): string {
  const report = { schemaVersion: 1, kind: 'gate', simulated: result.backend === 'memory', ...result };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function readingsTable(readings: readonly GateReading[]): string {
  if (readings.length === 0) return '_No gate was read._';
  const rows = readings.map((r) => {
    const value = r.unit === 'state' ? (r.state ?? '—') : number(r.canary, r.unit);
    const samples = r.samples ? `${r.samples.canary} / ${r.samples.baseline}` : '—';
    return `| ${r.gate} | ${cell(r.metric)} | ${value} | ${number(r.baseline, r.unit)} | ${samples} | ${MARK[r.verdict]} | ${cell(r.reason)} |`;
  });
  return [
    '| Gate | Metric | Value (canary) | Baseline | Samples (canary / baseline) | Verdict | Why |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function pollTable(result: GateWatchResult): string {
  const rows = result.events.map((event) => {
    const when = formatDuration(event.at - result.startedAt);
    return `| +${when} | ${event.type} | ${cell(event.message)} |`;
  });
  return ['### Every poll', '', '| When | Event | Detail |', '| --- | --- | --- |', ...rows].join('\n');
}

function number(value: number | undefined, unit: GateReading['unit']): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (unit === 'ratio') return `${Number((value * 100).toFixed(2))}%`;
  if (unit === 'ms') return `${value.toFixed(1)} ms`;
  return String(value);
}

/** As `report/format.ts` does: one line, no stray pipes, markup shown as text. */
function cell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replaceAll('\n', '<br>');
}
