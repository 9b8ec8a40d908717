import type { BakeChart, LatencyPoint, LatencySeries } from './bake-chart';
import { sinceStart } from './bake-chart';
import type { Versions } from './reading-words';

/** The colours both charts use, so one caption describes either. */
export const CHART_COLOURS = { canary: '#cf222e', baseline: '#0969da', limit: '#8c959f' } as const;

/** The limit is drawn only where every point has one (a partial limit line would mislead). */
export function limitOf(series: LatencySeries): number[] | undefined {
  const limits = series.points.map((p) => p.threshold);
  return limits.every((t) => t !== undefined) ? (limits as number[]) : undefined;
}

/** "p99 latency of v2 (red) and v1 (blue), the limit in grey; step 1 at 10% from 0:00, …; rolled back at 6:00." */
export function chartCaption(chart: BakeChart, series: LatencySeries, versions: Versions): string {
  const limit = limitOf(series) ? ', the limit in grey' : '';
  const steps = chart.boundaries.map(
    (b) => `step ${b.step + 1} at ${b.weight}% from ${sinceStart(b.at, chart.start)}`,
  );
  const decided = chart.decision
    ? [`${chart.decision.label} at ${sinceStart(chart.decision.at, chart.start)}`]
    : [];
  return `${series.metric} of ${versions.canary} (new, red) and ${versions.baseline} (current, blue)${limit}, minutes since the start; ${[...steps, ...decided].join(', ')}.`;
}

/** The poll a decision is marked at: the last one at or before it. */
export function decisionPoint(points: readonly LatencyPoint[], at: number | undefined): number {
  if (at === undefined) return -1;
  return points.findLastIndex((p) => p.at <= at);
}

/** A round number at or above `value` (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten): a y axis top. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

/** Latency figures as the charts print them: whole ms from 10 ms, one decimal below. */
export function chartNumber(ms: number): string {
  return String(ms >= 10 ? Math.round(ms) : Number(ms.toFixed(1)));
}
