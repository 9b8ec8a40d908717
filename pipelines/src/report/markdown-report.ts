import type { GateReading } from '../record/reading';
import type { ReleaseRecord, StepRecord } from '../record/record';
import { formatDuration } from '../time/duration';
import { cell, formatValue, OUTCOME_MARK, offset, VERDICT_MARK } from './format';

/** A job-summary-ready report: verdict first, then plan, per-step readings and the timeline. */
export function markdownReport(record: ReleaseRecord): string {
  return [header(record), planTable(record), limitsSection(record), readingsSection(record), timeline(record)]
    .filter((section) => section !== '')
    .join('\n\n')
    .concat('\n');
}

const BACKEND_NOTE: Record<ReleaseRecord['backend'], string> = {
  memory: '**Simulated** (memory backend): no real traffic moved.',
  local: 'Local cloud (`infra/local`): no AWS traffic moved.',
  aws: 'AWS.',
};

function header(record: ReleaseRecord): string {
  const took = formatDuration((record.finishedAt ?? record.updatedAt) - record.startedAt);
  const verdict = record.verdict ? VERDICT_MARK[record.verdict] : '—';
  const approvals = record.approvals.map(
    (a) =>
      `> Step ${a.step + 1} at ${a.weight}% approved by **${cell(a.by)}** at ${new Date(a.at).toISOString()}: ${cell(a.reason)}`,
  );
  return [
    `## ${OUTCOME_MARK[record.outcome]}: ${record.workload} ${record.fromVersion} → ${record.toVersion} (${record.environment})`,
    '',
    `${BACKEND_NOTE[record.backend]} **Verdict:** ${verdict} · **Platform:** ${record.platform} (${record.method}, traffic moved by ${record.driver === 'engine' ? 'Tollgate' : 'the platform'}) · **Took:** ${took} · **By:** ${record.actor} · **Started:** ${new Date(record.startedAt).toISOString()}`,
    '',
    `> ${cell(record.reason)}`,
    ...(approvals.length > 0 ? ['', ...approvals] : []),
  ].join('\n');
}

function limitsSection(record: ReleaseRecord): string {
  if (record.limits.length === 0) return '';
  return ['### What the platform allowed', '', ...record.limits.map((limit) => `- ${limit}`)].join('\n');
}

function planTable(record: ReleaseRecord): string {
  const rows = record.plan.map((step, index) => {
    const done = record.steps.findLast((s) => s.index === index);
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
  if (done) {
    const approved = done.approvedBy ? `, approved by ${cell(done.approvedBy)}` : '';
    return `${VERDICT_MARK[done.verdict]} after ${formatDuration(done.endedAt - done.startedAt)}, ${done.polls} poll${done.polls === 1 ? '' : 's'}${approved}`;
  }
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
