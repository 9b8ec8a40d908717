import type { GateReading } from '../gates/reading';
import { formatDuration } from '../policy/quantities';
import type { ReleaseRecord, StepRecord } from '../release/record';
import { cell, formatValue, OUTCOME_MARK, offset, VERDICT_MARK } from './format';

/** A job-summary-ready report: verdict first, then plan, per-step readings and the timeline. */
export function markdownReport(record: ReleaseRecord): string {
  return [header(record), planTable(record), readingsSection(record), timeline(record)]
    .join('\n\n')
    .concat('\n');
}

function header(record: ReleaseRecord): string {
  const took = formatDuration(record.finishedAt - record.startedAt);
  return [
    `## ${OUTCOME_MARK[record.outcome]}: ${record.workload} ${record.fromVersion} → ${record.toVersion} (${record.environment})`,
    '',
    `**Verdict:** ${VERDICT_MARK[record.verdict]} · **Platform:** ${record.platform} · **Took:** ${took} · **By:** ${record.actor} · **Started:** ${new Date(record.startedAt).toISOString()}`,
    '',
    `> ${cell(record.reason)}`,
  ].join('\n');
}

function planTable(record: ReleaseRecord): string {
  const rows = record.plan.map((step, index) => {
    const done = record.steps.find((s) => s.index === index);
    const bake = step.bakeMs > 0 ? formatDuration(step.bakeMs) : '—';
    return `| ${index + 1} | ${step.weight}% | ${bake} | ${stepResult(record, index, done)} |`;
  });
  return [
    '### Plan',
    '',
    '| Step | Canary weight | Bake | Result |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function stepResult(record: ReleaseRecord, index: number, done: StepRecord | undefined): string {
  if (done)
    return `${VERDICT_MARK[done.verdict]} after ${formatDuration(done.endedAt - done.startedAt)}, ${done.polls} poll${done.polls === 1 ? '' : 's'}`;
  const isFinal = index === record.plan.length - 1;
  if (isFinal && record.outcome === 'promoted') return '✅ promoted';
  return 'not reached';
}

function readingsSection(record: ReleaseRecord): string {
  const blocked = record.events.find((event) => event.type === 'blocked' && event.readings?.length);
  const parts = ['### Gate readings'];
  if (blocked?.readings) parts.push(`Preflight:\n\n${readingsTable(blocked.readings)}`);
  for (const step of record.steps) {
    parts.push(
      `Step ${step.index + 1} at ${step.weight}% — last poll of ${step.polls}:\n\n${readingsTable(step.readings)}`,
    );
  }
  if (parts.length === 1) parts.push('No gate was polled.');
  return parts.join('\n\n');
}

function readingsTable(readings: readonly GateReading[]): string {
  if (readings.length === 0) return '_No gates configured for this environment._';
  const rows = readings.map((r) => {
    const samples = r.samples ? `${r.samples.canary} / ${r.samples.baseline}` : '—';
    const canary = r.unit === 'state' ? (r.state ?? '—') : formatValue(r.canary, r.unit);
    return `| ${r.gate} | ${cell(r.metric)} | ${canary} | ${formatValue(r.baseline, r.unit)} | ${formatValue(r.threshold, r.unit)} | ${samples} | ${VERDICT_MARK[r.verdict]} | ${cell(r.reason)} |`;
  });
  return [
    '| Gate | Metric | Canary | Baseline | Limit | Samples (canary / baseline) | Verdict | Why |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function timeline(record: ReleaseRecord): string {
  const shown = record.events.filter((event) => event.type !== 'poll' || isNotable(event.readings));
  const omitted = record.events.length - shown.length;
  const rows = shown.map((e) => `| ${offset(e.at, record.startedAt)} | ${e.type} | ${cell(e.message)} |`);
  const note =
    omitted > 0 ? `\n\n_${omitted} routine polls (all passing or waiting for data) not shown._` : '';
  return ['### Timeline', '', '| When | Event | Detail |', '| --- | --- | --- |', ...rows].join('\n') + note;
}

function isNotable(readings: readonly GateReading[] | undefined): boolean {
  return (readings ?? []).some((reading) => reading.verdict === 'fail' || reading.verdict === 'error');
}
