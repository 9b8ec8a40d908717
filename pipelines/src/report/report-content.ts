import { milliseconds, percent } from '../judge/explain';
import type { GateReading } from '../record/reading';
import type { ReleaseRecord, StepRecord } from '../record/record';
import { formatDuration } from '../time/duration';
import { type BakeChart, bakeChart } from './bake-chart';
import { type ConsoleLinks, consoleLinks } from './console-links';
import { OUTCOME_MARK, offset, VERDICT_MARK } from './format';
import { releaseHeadline, stepHeadline, versionsOf } from './headline';
import { limitInWords, resultInWords, type Versions } from './reading-words';
import type { EnvironmentReview, ReportContext } from './report-context';

/**
 * What a release report says, once, in plain text: the markdown job summary and the HTML report both
 * render this, so they cannot drift apart. Plain words come first (title, headline, per-step
 * headlines and figures); the evidence (samples, windows, the judge's reasoning) after them.
 */
export interface ReportContent {
  title: string;
  headline: string;
  startedAt: number;
  backendNote: { lead: string; rest: string };
  facts: { label: string; value: string }[];
  approvals: string[];
  plan: { step: string; weight: string; bake: string; result: string }[];
  preflight?: ReadingsContent;
  steps: StepContent[];
  versions: Versions;
  chart: BakeChart;
  links: ConsoleLinks;
  limits: string[];
  timeline: { when: string; type: string; detail: string }[];
  /** Routine polls (all passing or waiting for data) left out of the timeline. */
  omittedPolls: number;
}

export interface StepContent {
  headline: string;
  result: string;
  readings: ReadingsContent;
}

export interface ReadingsContent {
  checks: CheckRow[];
  /** The raw readings, for the evidence: samples, windows, the judge's reasoning and details. */
  evidence: GateReading[];
}

export interface CheckRow {
  check: string;
  canary: string;
  baseline: string;
  limit: string;
  result: string;
}

/** Where the release ran, its lead words emphasised by the renderers: simulation must not pass for real. */
const BACKEND_NOTE: Record<ReleaseRecord['backend'], ReportContent['backendNote']> = {
  memory: { lead: 'Simulated', rest: ' (memory backend): no real traffic moved.' },
  local: { lead: 'Local cloud', rest: ' (infra/local): no AWS traffic moved.' },
  aws: { lead: 'AWS', rest: '.' },
};

export function reportContent(record: ReleaseRecord, context?: ReportContext): ReportContent {
  const versions = versionsOf(record);
  const blocked = record.events.findLast((event) => event.type === 'blocked' && event.readings?.length);
  const shown = record.events.filter((event) => event.type !== 'poll' || isNotable(event.readings));
  const content: ReportContent = {
    title: `${OUTCOME_MARK[record.outcome]}: ${record.workload} ${record.fromVersion} → ${record.toVersion} (${record.environment})`,
    headline: releaseHeadline(record),
    startedAt: record.startedAt,
    backendNote: BACKEND_NOTE[record.backend],
    facts: facts(record),
    approvals: [
      ...(context?.environmentReviews ?? []).map(reviewLine),
      ...record.approvals.map(
        (a) =>
          `Step ${a.step + 1} at ${a.weight}% approved by ${a.by} at ${new Date(a.at).toISOString()}: ${a.reason}`,
      ),
    ],
    plan: planRows(record),
    steps: record.steps.map((step) => stepContent(step, versions)),
    versions,
    chart: bakeChart(record),
    links: consoleLinks(record, context),
    limits: record.limits,
    timeline: shown.map((e) => ({ when: offset(e.at, record.startedAt), type: e.type, detail: e.message })),
    omittedPolls: record.events.length - shown.length,
  };
  if (blocked?.readings) content.preflight = readingsContent(blocked.readings);
  return content;
}

function reviewLine(review: EnvironmentReview): string {
  const comment = review.comment.trim() === '' ? '' : `: ${review.comment.trim()}`;
  return `Deployment to ${review.environments.join(', ')} ${review.state} by ${review.by} (GitHub environment review)${comment}`;
}

function facts(record: ReleaseRecord): ReportContent['facts'] {
  const mover = record.driver === 'engine' ? 'Tollgate' : 'the platform';
  return [
    { label: 'Verdict', value: record.verdict ? VERDICT_MARK[record.verdict] : '—' },
    { label: 'Platform', value: `${record.platform} (${record.method}, traffic moved by ${mover})` },
    { label: 'Took', value: formatDuration((record.finishedAt ?? record.updatedAt) - record.startedAt) },
    { label: 'By', value: record.actor },
    { label: 'Started', value: new Date(record.startedAt).toISOString() },
  ];
}

function planRows(record: ReleaseRecord): ReportContent['plan'] {
  return record.plan.map((step, index) => ({
    step: String(index + 1),
    weight: `${step.weight}%`,
    bake: step.bakeMs > 0 ? formatDuration(step.bakeMs) : '—',
    result: stepResult(
      record,
      index,
      record.steps.findLast((s) => s.index === index),
    ),
  }));
}

function stepResult(record: ReleaseRecord, index: number, done: StepRecord | undefined): string {
  if (done) {
    const approved = done.approvedBy ? `, approved by ${done.approvedBy}` : '';
    return `${VERDICT_MARK[done.verdict]} after ${formatDuration(done.endedAt - done.startedAt)}, ${done.polls} poll${done.polls === 1 ? '' : 's'}${approved}`;
  }
  const isFinal = index === record.plan.length - 1;
  if (isFinal && record.outcome === 'promoted') return '✅ promoted';
  return 'not reached';
}

function stepContent(step: StepRecord, versions: Versions): StepContent {
  return {
    headline: stepHeadline(step, versions),
    result: stepResultLine(step),
    readings: readingsContent(step.readings),
  };
}

function stepResultLine(step: StepRecord): string {
  const took = formatDuration(step.endedAt - step.startedAt);
  const approved = step.approvedBy ? `, approved by ${step.approvedBy}` : '';
  return `${VERDICT_MARK[step.verdict]} after ${took}; figures from the last of ${step.polls} poll${step.polls === 1 ? '' : 's'}${approved}`;
}

function readingsContent(readings: readonly GateReading[]): ReadingsContent {
  return { checks: readings.map(checkRow), evidence: [...readings] };
}

function checkRow(reading: GateReading): CheckRow {
  const check = reading.gate === 'alarm' ? `alarm ${reading.metric}` : reading.metric;
  if (reading.unit === 'state' || reading.gate === 'platform') {
    const state = reading.unit === 'state' ? (reading.state ?? '—') : reading.reason;
    return { check, canary: state, baseline: '—', limit: '—', result: resultInWords(reading) };
  }
  return {
    check,
    canary: plainValue(reading.canary, reading.unit),
    baseline: plainValue(reading.baseline, reading.unit),
    limit: limitInWords(reading),
    result: resultInWords(reading),
  };
}

/** Figures as the headlines print them: "186 ms", "0.22%". */
function plainValue(value: number | undefined, unit: GateReading['unit']): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return unit === 'ratio' ? percent(value, 2) : milliseconds(value);
}

function isNotable(readings: readonly GateReading[] | undefined): boolean {
  return (readings ?? []).some((reading) => reading.verdict === 'fail' || reading.verdict === 'error');
}
