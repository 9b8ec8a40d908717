import type { BakeChart, LatencySeries } from './bake-chart';
import { sinceStart } from './bake-chart';
import { CHART_COLOURS, chartCaption, chartNumber, limitOf, niceCeiling } from './chart-text';
import { escapeHtml } from './html-escape';
import type { Versions } from './reading-words';

/** The plot area inside the 640 × 280 view box. */
const PLOT = { left: 56, top: 28, width: 560, height: 200 } as const;

const TICK_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120];

/**
 * One latency series as inline SVG for the HTML report: canary, baseline and limit over time, a
 * vertical rule where each step began (labelled with its weight) and one at the moment of decision.
 * Accessible: `role="img"` named by its `<title>` and described by its `<desc>` (the caption).
 */
export function svgChart(chart: BakeChart, series: LatencySeries, versions: Versions, id: string): string {
  const span = Math.max(chart.end - chart.start, 1000);
  const limit = limitOf(series);
  const values = series.points.flatMap((p) => [
    p.canary,
    p.baseline,
    ...(p.threshold === undefined ? [] : [p.threshold]),
  ]);
  const top = niceCeiling(Math.max(...values) * 1.1);
  const x = (at: number) => round(PLOT.left + ((at - chart.start) / span) * PLOT.width);
  const y = (ms: number) => round(PLOT.top + PLOT.height - (ms / top) * PLOT.height);
  const polyline = (kind: keyof typeof CHART_COLOURS, numbers: readonly number[]) => {
    const points = series.points.map((p, i) => `${x(p.at)},${y(numbers[i] as number)}`).join(' ');
    const dash = kind === 'limit' ? ' stroke-dasharray="6 4"' : '';
    return `<polyline class="${kind}" fill="none" stroke="${CHART_COLOURS[kind]}" stroke-width="2"${dash} points="${points}"/>`;
  };
  const title = `${series.metric} over the bake: ${versions.canary} (new) vs ${versions.baseline} (current)`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 280" width="640" height="280" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeHtml(title)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(chartCaption(chart, series, versions))}</desc>`,
    ...yAxis(top, y),
    ...xAxis(chart, span, x),
    `<text x="${PLOT.left + PLOT.width / 2}" y="272" text-anchor="middle" font-size="12">minutes since the start</text>`,
    `<text x="14" y="${PLOT.top + PLOT.height / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${PLOT.top + PLOT.height / 2})">${escapeHtml(series.metric)} (ms)</text>`,
    ...chart.boundaries.map(
      (b) =>
        `<line class="step-start" data-step="${b.step + 1}" data-weight="${b.weight}" x1="${x(b.at)}" y1="${PLOT.top}" x2="${x(b.at)}" y2="${PLOT.top + PLOT.height}" stroke="#57606a" stroke-width="1"/><text x="${x(b.at) + 3}" y="${PLOT.top - 6}" font-size="11">step ${b.step + 1} · ${b.weight}%</text>`,
    ),
    ...(chart.decision
      ? [
          `<line class="decision" x1="${x(chart.decision.at)}" y1="${PLOT.top}" x2="${x(chart.decision.at)}" y2="${PLOT.top + PLOT.height}" stroke="#1f2328" stroke-width="2" stroke-dasharray="2 3"/><text x="${x(chart.decision.at) - 3}" y="${PLOT.top + 12}" font-size="11" text-anchor="end" font-weight="bold">${escapeHtml(chart.decision.label)}</text>`,
        ]
      : []),
    polyline(
      'baseline',
      series.points.map((p) => p.baseline),
    ),
    polyline(
      'canary',
      series.points.map((p) => p.canary),
    ),
    ...(limit ? [polyline('limit', limit)] : []),
    '</svg>',
  ].join('\n');
}

function yAxis(top: number, y: (ms: number) => number): string[] {
  return [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const value = top * f;
    return `<line x1="${PLOT.left}" y1="${y(value)}" x2="${PLOT.left + PLOT.width}" y2="${y(value)}" stroke="#d0d7de" stroke-width="1"/><text x="${PLOT.left - 6}" y="${y(value) + 4}" text-anchor="end" font-size="11">${chartNumber(value)}</text>`;
  });
}

function xAxis(chart: BakeChart, span: number, x: (at: number) => number): string[] {
  const minutes = span / 60_000;
  const every = TICK_MINUTES.find((m) => minutes / m <= 10) ?? 240;
  const ticks: string[] = [
    `<line x1="${PLOT.left}" y1="${PLOT.top + PLOT.height}" x2="${PLOT.left + PLOT.width}" y2="${PLOT.top + PLOT.height}" stroke="#57606a" stroke-width="1"/>`,
  ];
  for (let m = 0; m <= minutes + 1e-9; m += every) {
    const at = chart.start + m * 60_000;
    ticks.push(
      `<text x="${x(at)}" y="${PLOT.top + PLOT.height + 16}" text-anchor="middle" font-size="11">${sinceStart(at, chart.start)}</text>`,
    );
  }
  return ticks;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
