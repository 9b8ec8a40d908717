import type { ReleaseRecord } from '../record/record';

/** One poll's latency figures for one metric: canary and baseline so far in the step, and the limit. */
export interface LatencyPoint {
  at: number;
  step: number;
  canary: number;
  baseline: number;
  threshold?: number;
}

export interface LatencySeries {
  /** "p50 latency", "p99 latency": the judge's metric names. */
  metric: string;
  points: LatencyPoint[];
}

/** Where a traffic step began: its index and canary weight. */
export interface StepBoundary {
  at: number;
  step: number;
  weight: number;
}

/** Everything a latency-over-the-bake chart draws, in milliseconds since the epoch and ms of latency. */
export interface BakeChart {
  start: number;
  end: number;
  series: LatencySeries[];
  boundaries: StepBoundary[];
  /** When the release was decided (the deciding step's end, or the promotion) and what was decided. */
  decision?: { at: number; label: string };
}

const DECIDED: Partial<Record<ReleaseRecord['outcome'], string>> = {
  promoted: 'promoted',
  'rolled-back': 'rolled back',
  held: 'held',
  failed: 'failed',
};

/**
 * The latency series of a release from its poll events (each carries that poll's readings; latency
 * readings without figures, below the judge's minimum sample count, are left out), the steps'
 * starts, and the moment of decision.
 */
export function bakeChart(record: ReleaseRecord): BakeChart {
  const byMetric = new Map<string, LatencyPoint[]>();
  for (const event of record.events) {
    if (event.type !== 'poll' || event.step === undefined) continue;
    for (const reading of event.readings ?? []) {
      if (reading.unit !== 'ms' || reading.canary === undefined || reading.baseline === undefined) continue;
      const point: LatencyPoint = {
        at: event.at,
        step: event.step,
        canary: reading.canary,
        baseline: reading.baseline,
      };
      if (reading.threshold !== undefined) point.threshold = reading.threshold;
      const points = byMetric.get(reading.metric) ?? [];
      points.push(point);
      byMetric.set(reading.metric, points);
    }
  }
  const chart: BakeChart = {
    start: record.startedAt,
    end: record.finishedAt ?? record.updatedAt,
    series: [...byMetric].map(([metric, points]) => ({ metric, points })),
    boundaries: record.steps.map((step) => ({ at: step.startedAt, step: step.index, weight: step.weight })),
  };
  const decision = decisionOf(record);
  if (decision) chart.decision = decision;
  return chart;
}

function decisionOf(record: ReleaseRecord): BakeChart['decision'] {
  const label = DECIDED[record.outcome];
  if (!label) return undefined;
  const type = record.outcome === 'promoted' ? 'promote' : 'step-failed';
  const event =
    record.events.findLast((e) => e.type === type) ?? record.events.findLast((e) => e.type === 'failed');
  return event ? { at: event.at, label } : undefined;
}

/** "5:30" (minutes:seconds since the release started), "1:05:30" past an hour. */
export function sinceStart(at: number, start: number): string {
  const seconds = Math.max(0, Math.round((at - start) / 1000));
  const s = String(seconds % 60).padStart(2, '0');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}:${s}`;
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${s}`;
}
