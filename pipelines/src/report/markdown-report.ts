import type { GateReading } from '../record/reading';
import type { ReleaseRecord } from '../record/record';
import { chartCaption } from './chart-text';
import type { ConsoleLinks } from './console-links';
import { cell, formatValue, readingCanary, readingSamples, readingWindow, VERDICT_MARK } from './format';
import { judgeDetails } from './judge-details';
import { mermaidChart } from './mermaid-chart';
import { type CheckRow, type ReadingsContent, type ReportContent, reportContent } from './report-content';
import type { ReportContext } from './report-context';

/**
 * A job-summary-ready report: the outcome and, in plain words, why; the plan; per step a plain headline
 * and the figures against their limits, the evidence folded below; latency over the bake; where to look
 * in the console; the timeline. The HTML report (`html-report.ts`) says the same.
 */
export function markdownReport(record: ReleaseRecord, context?: ReportContext): string {
  const content = reportContent(record, context);
  return [
    header(content),
    planTable(content),
    stepsSection(content),
    chartSection(content),
    linksSection(content.links),
    limitsSection(content),
    timeline(content),
  ]
    .filter((section) => section !== '')
    .join('\n\n')
    .concat('\n');
}

function header(content: ReportContent): string {
  const facts = content.facts.map((f) => `**${f.label}:** ${cell(f.value)}`).join(' · ');
  const approvals = content.approvals.map((a) => `> ${cell(a)}`);
  return [
    `## ${content.title}`,
    '',
    `**${cell(content.headline)}**`,
    '',
    `**${content.backendNote.lead}**${cell(content.backendNote.rest)} ${facts}`,
    ...(approvals.length > 0 ? ['', '**Approvals:**', '', ...approvals] : []),
  ].join('\n');
}

function planTable(content: ReportContent): string {
  const rows = content.plan.map((r) => `| ${r.step} | ${r.weight} | ${r.bake} | ${cell(r.result)} |`);
  return [
    '### Plan',
    '',
    '| Step | Canary weight | Bake | Result |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function stepsSection(content: ReportContent): string {
  const parts = ['### Step by step'];
  if (content.preflight) parts.push(`Preflight:\n\n${readings(content, content.preflight, 'the preflight')}`);
  content.steps.forEach((step, i) => {
    parts.push(
      `**${cell(step.headline)}**\n\n${cell(step.result)}\n\n${readings(content, step.readings, `step ${i + 1}`)}`,
    );
  });
  if (parts.length === 1) parts.push('No gate was polled.');
  return parts.join('\n\n');
}

function readings(content: ReportContent, section: ReadingsContent, what: string): string {
  if (section.evidence.length === 0) return '_No gates configured for this environment._';
  const { canary, baseline } = content.versions;
  const checks = [
    `| Check | ${cell(canary)} (new) | ${cell(baseline)} (current) | Limit | Result |`,
    '| --- | --- | --- | --- | --- |',
    ...section.checks.map(checkLine),
  ].join('\n');
  const details = section.evidence.flatMap((r) => {
    const line = judgeDetails(r);
    return line ? [`- ${cell(r.metric)}: ${cell(line)}`] : [];
  });
  const evidence = [
    `<details><summary>Evidence for ${what}: samples, windows and the judge's reasoning</summary>`,
    '',
    evidenceTable(section.evidence, content.startedAt),
    ...(details.length > 0 ? ['', "The judge's details:", '', ...details] : []),
    '',
    '</details>',
  ].join('\n');
  return `${checks}\n\n${evidence}`;
}

function checkLine(row: CheckRow): string {
  return `| ${cell(row.check)} | ${cell(row.canary)} | ${cell(row.baseline)} | ${cell(row.limit)} | ${cell(row.result)} |`;
}

function evidenceTable(readings: readonly GateReading[], start: number): string {
  const rows = readings.map(
    (r) =>
      `| ${r.gate} | ${cell(r.metric)} | ${readingCanary(r)} | ${formatValue(r.baseline, r.unit)} | ${formatValue(r.threshold, r.unit)} | ${readingSamples(r)} | ${VERDICT_MARK[r.verdict]} | ${cell(r.reason)} | ${readingWindow(r, start)} |`,
  );
  return [
    '| Gate | Metric | Canary | Baseline | Limit | Samples (canary / baseline) | Verdict | Why | Window |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function chartSection(content: ReportContent): string {
  const { chart } = content;
  const charts = chart.series
    .filter((s) => s.points.length > 0)
    .map((s) => `${mermaidChart(chart, s)}\n\n_${cell(chartCaption(chart, s, content.versions))}_`);
  const body =
    charts.length > 0 ? charts : ['_No latency was measured: no step reached the minimum sample count._'];
  return ['### Latency over the bake', ...body].join('\n\n');
}

function linksSection(links: ConsoleLinks): string {
  if (links.kind === 'none') return `### Where to look\n\n${cell(links.why)}`;
  const from = new Date(links.window.from).toISOString();
  const to = new Date(links.window.to).toISOString();
  const where = `${links.account ? `account ${links.account}, ` : ''}${links.region}`;
  const list = (items: readonly { label: string; url: string }[]) =>
    items.length > 0 ? items.map((l) => `- [${label(l.label)}](<${l.url}>)`) : ['- none'];
  return [
    '### Where to look',
    '',
    `In the AWS console (${where}; sign in to that account first), for the release window ${from} to ${to}:`,
    '',
    '**CloudWatch alarms that gated the release:**',
    '',
    ...list(links.alarms),
    '',
    '**X-Ray traces of each version:**',
    '',
    ...list(links.traces),
  ].join('\n');
}

/** A link's text, with the brackets that would end it escaped. */
function label(text: string): string {
  return cell(text).replaceAll('[', '\\[').replaceAll(']', '\\]');
}

function limitsSection(content: ReportContent): string {
  if (content.limits.length === 0) return '';
  return ['### What the platform allowed', '', ...content.limits.map((limit) => `- ${cell(limit)}`)].join(
    '\n',
  );
}

function timeline(content: ReportContent): string {
  const rows = content.timeline.map((e) => `| ${e.when} | ${e.type} | ${cell(e.detail)} |`);
  const note =
    content.omittedPolls > 0
      ? `\n\n_${content.omittedPolls} routine polls (all passing or waiting for data) not shown._`
      : '';
  return ['### Timeline', '', '| When | Event | Detail |', '| --- | --- | --- |', ...rows].join('\n') + note;
}
