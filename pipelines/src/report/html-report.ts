import type { GateReading } from '../record/reading';
import type { ReleaseRecord } from '../record/record';
import { CHART_COLOURS, chartCaption } from './chart-text';
import type { ConsoleLinks } from './console-links';
import { formatValue, readingCanary, readingSamples, readingWindow, VERDICT_MARK } from './format';
import { escapeHtml as e } from './html-escape';
import { judgeDetails } from './judge-details';
import { type ReadingsContent, type ReportContent, reportContent } from './report-content';
import type { ReportContext } from './report-context';
import { svgChart } from './svg-chart';

const STYLE = `
body { font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; max-width: 980px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.2em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; margin-top: 1.8em; }
.headline { font-size: 1.15em; font-weight: 600; } .facts, .note, .caption { color: #59636e; }
.step-headline { font-weight: 600; margin-bottom: .2em; }
table { border-collapse: collapse; margin: .6em 0; } th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; white-space: pre-line; }
th { background: #f6f8fa; } details { margin: .4em 0 1.2em; } summary { cursor: pointer; color: #0969da; }
blockquote { margin: .4em 0; padding: 0 1em; border-left: 4px solid #d0d7de; }
.swatch { display: inline-block; width: 1.4em; height: .25em; vertical-align: middle; margin: 0 .3em; }
svg { max-width: 100%; height: auto; } a { color: #0969da; word-break: break-all; }
`;

/**
 * The HTML report, uploaded as an artifact: what the job summary says (`markdown-report.ts`; both
 * render `reportContent`), with the latency charts as inline SVG. One self-contained file: inline
 * CSS, no script, nothing fetched; every value from the record is escaped.
 */
export function htmlReport(record: ReleaseRecord, context?: ReportContext): string {
  const content = reportContent(record, context);
  const body = [
    header(content),
    planTable(content),
    stepsSection(content),
    chartSection(content),
    linksSection(content.links),
    limitsSection(content),
    timeline(content),
  ].filter((section) => section !== '');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(content.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function header(content: ReportContent): string {
  const facts = content.facts.map((f) => `<strong>${e(f.label)}:</strong> ${e(f.value)}`).join(' · ');
  const approvals = content.approvals.map((a) => `<blockquote>${e(a)}</blockquote>`);
  return [
    `<h1>${e(content.title)}</h1>`,
    `<p class="headline">${e(content.headline)}</p>`,
    `<p class="facts"><strong>${e(content.backendNote.lead)}</strong>${e(content.backendNote.rest)} ${facts}</p>`,
    ...(approvals.length > 0 ? ['<p><strong>Approvals:</strong></p>', ...approvals] : []),
  ].join('\n');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th>${e(h)}</th>`).join('');
  const trs = rows.map((row) => `<tr>${row.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`);
  return [`<table>`, `<thead><tr>${th}</tr></thead>`, '<tbody>', ...trs, '</tbody>', '</table>'].join('\n');
}

function planTable(content: ReportContent): string {
  const rows = content.plan.map((r) => [r.step, r.weight, r.bake, r.result]);
  return `<h2>Plan</h2>\n${table(['Step', 'Canary weight', 'Bake', 'Result'], rows)}`;
}

function stepsSection(content: ReportContent): string {
  const parts = ['<h2>Step by step</h2>'];
  if (content.preflight)
    parts.push(`<p>Preflight:</p>\n${readings(content, content.preflight, 'the preflight')}`);
  content.steps.forEach((step, i) => {
    parts.push(
      `<section class="step"><p class="step-headline">${e(step.headline)}</p>\n<p class="note">${e(step.result)}</p>\n${readings(content, step.readings, `step ${i + 1}`)}</section>`,
    );
  });
  if (parts.length === 1) parts.push('<p>No gate was polled.</p>');
  return parts.join('\n');
}

function readings(content: ReportContent, section: ReadingsContent, what: string): string {
  if (section.evidence.length === 0) return '<p><em>No gates configured for this environment.</em></p>';
  const { canary, baseline } = content.versions;
  const checks = table(
    ['Check', `${canary} (new)`, `${baseline} (current)`, 'Limit', 'Result'],
    section.checks.map((c) => [c.check, c.canary, c.baseline, c.limit, c.result]),
  );
  const details = section.evidence.flatMap((r) => {
    const line = judgeDetails(r);
    return line ? [`<li>${e(r.metric)}: ${e(line)}</li>`] : [];
  });
  return [
    checks,
    `<details><summary>Evidence for ${e(what)}: samples, windows and the judge's reasoning</summary>`,
    evidenceTable(section.evidence, content.startedAt),
    ...(details.length > 0 ? ["<p>The judge's details:</p>", '<ul>', ...details, '</ul>'] : []),
    '</details>',
  ].join('\n');
}

function evidenceTable(readings: readonly GateReading[], start: number): string {
  const rows = readings.map((r) => [
    r.gate,
    r.metric,
    readingCanary(r),
    formatValue(r.baseline, r.unit),
    formatValue(r.threshold, r.unit),
    readingSamples(r),
    VERDICT_MARK[r.verdict],
    r.reason,
    readingWindow(r, start),
  ]);
  const head = [
    'Gate',
    'Metric',
    'Canary',
    'Baseline',
    'Limit',
    'Samples (canary / baseline)',
    'Verdict',
    'Why',
    'Window',
  ];
  return table(head, rows);
}

function chartSection(content: ReportContent): string {
  const { chart, versions } = content;
  const swatch = (colour: string) => `<span class="swatch" style="background:${colour}"></span>`;
  const charts = chart.series
    .filter((s) => s.points.length > 0)
    .map((s, i) =>
      [
        `<figure>`,
        svgChart(chart, s, versions, `chart-${i + 1}`),
        `<figcaption class="caption">${swatch(CHART_COLOURS.canary)}${e(versions.canary)} (new) ${swatch(CHART_COLOURS.baseline)}${e(versions.baseline)} (current) ${swatch(CHART_COLOURS.limit)}limit — ${e(chartCaption(chart, s, versions))}</figcaption>`,
        '</figure>',
      ].join('\n'),
    );
  const body =
    charts.length > 0
      ? charts
      : ['<p><em>No latency was measured: no step reached the minimum sample count.</em></p>'];
  return ['<h2>Latency over the bake</h2>', ...body].join('\n');
}

function linksSection(links: ConsoleLinks): string {
  if (links.kind === 'none') return `<h2>Where to look</h2>\n<p>${e(links.why)}</p>`;
  const from = new Date(links.window.from).toISOString();
  const to = new Date(links.window.to).toISOString();
  const where = `${links.account ? `account ${links.account}, ` : ''}${links.region}`;
  const list = (items: readonly { label: string; url: string }[]) =>
    items.length > 0
      ? `<ul>\n${items.map((l) => `<li><a href="${e(l.url)}">${e(l.label)}</a></li>`).join('\n')}\n</ul>`
      : '<p>none</p>';
  return [
    '<h2>Where to look</h2>',
    `<p>In the AWS console (${e(where)}; sign in to that account first), for the release window ${e(from)} to ${e(to)}:</p>`,
    '<p><strong>CloudWatch alarms that gated the release:</strong></p>',
    list(links.alarms),
    '<p><strong>X-Ray traces of each version:</strong></p>',
    list(links.traces),
  ].join('\n');
}

function limitsSection(content: ReportContent): string {
  if (content.limits.length === 0) return '';
  return `<h2>What the platform allowed</h2>\n<ul>\n${content.limits.map((l) => `<li>${e(l)}</li>`).join('\n')}\n</ul>`;
}

function timeline(content: ReportContent): string {
  const rows = content.timeline.map((t) => [t.when, t.type, t.detail]);
  const note =
    content.omittedPolls > 0
      ? `\n<p class="note">${content.omittedPolls} routine polls (all passing or waiting for data) not shown.</p>`
      : '';
  return `<h2>Timeline</h2>\n${table(['When', 'Event', 'Detail'], rows)}${note}`;
}
