import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GateWatchResult } from '../record/gate-watch-result';
import type { GateReading } from '../record/reading';
import { formatDuration } from '../time/duration';
import { cell, formatValue, VERDICT_MARK as MARK, readingCanary, readingSamples } from './format';

/**
 * The reports of a gate watch. A watch is not a release (nothing moved, the ledger keeps no record of
 * it), so it has its own small report rather than the release record's.
 */
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
  const rows = readings.map(
    (r) =>
      `| ${r.gate} | ${cell(r.metric)} | ${readingCanary(r)} | ${formatValue(r.baseline, r.unit)} | ${readingSamples(r)} | ${MARK[r.verdict]} | ${cell(r.reason)} |`,
  );
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

/** Writes `<workload>-<environment>-gate.md` and `.json` into `dir` (names validated at the edge). */
export async function writeGateReports(result: GateWatchResult, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, `${result.workload}-${result.environment}-gate`);
  await writeFile(`${base}.md`, gateMarkdown(result), 'utf8');
  await writeFile(`${base}.json`, gateJson(result), 'utf8');
  return [`${base}.md`, `${base}.json`];
}
