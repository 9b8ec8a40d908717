import type { BakeChart, LatencySeries } from './bake-chart';
import { sinceStart } from './bake-chart';
import { CHART_COLOURS, chartNumber, decisionPoint, limitOf, niceCeiling } from './chart-text';

/**
 * One latency series as a Mermaid `xychart-beta` block for the job summary. Job summaries are
 * GitHub-flavoured markdown, which renders ```mermaid blocks (GitHub's Mermaid support, Feb 2022;
 * Kesin11/actions-timeline draws its Mermaid chart in the run summary page on exactly that, README "How
 * it works"). `xychart-beta` is the name every Mermaid with XY charts reads (GitHub bundles one that
 * lags upstream; plain `xychart` is only in later releases, see mermaid's xychart.jison). The chart
 * has no legend and no vertical rules, so the colours are set (the init
 * directive's `plotColorPalette`), the x labels carry the markers ("5:30 · 50%" where a step starts,
 * "· rolled back" at the decision) and a caption below says what is what. Without JavaScript (a
 * screen reader, the API) GitHub shows the block's text, which reads as the series.
 */
export function mermaidChart(chart: BakeChart, series: LatencySeries): string {
  const { points } = series;
  const limit = limitOf(series);
  const decided = decisionPoint(points, chart.decision?.at);
  const labels = points.map((point, i) => {
    const starts = i > 0 && points[i - 1]?.step !== point.step;
    const weight = chart.boundaries.find((b) => b.step === point.step)?.weight;
    const marks = [
      sinceStart(point.at, chart.start),
      ...(starts && weight !== undefined ? [`${weight}%`] : []),
      ...(i === decided && chart.decision ? [chart.decision.label] : []),
    ];
    return `"${marks.join(' · ')}"`;
  });
  const values = points.flatMap((p) => [
    p.canary,
    p.baseline,
    ...(p.threshold === undefined ? [] : [p.threshold]),
  ]);
  const top = niceCeiling(Math.max(...values) * 1.1);
  const line = (numbers: readonly number[]) => `  line [${numbers.map(chartNumber).join(', ')}]`;
  const palette = [CHART_COLOURS.canary, CHART_COLOURS.baseline, CHART_COLOURS.limit].join(', ');
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `  title "${series.metric} over the bake"`,
    `  x-axis "minutes since the start" [${labels.join(', ')}]`,
    `  y-axis "${series.metric} (ms)" 0 --> ${top}`,
    line(points.map((p) => p.canary)),
    line(points.map((p) => p.baseline)),
    ...(limit ? [line(limit)] : []),
    '```',
  ].join('\n');
}
