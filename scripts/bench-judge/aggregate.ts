import { wilsonInterval } from '@tollgate/pipelines/judge/sequential';
import { BAKE_SECONDS, GATE_NAMES, type GateName, type Outcome } from './release';
import type { Cell, Scenario } from './traffic';

export interface GateSummary {
  gate: GateName;
  runs: number;
  /** Releases the gate rolled back within the bake. */
  rolledBack: number;
  /** rolledBack / runs with its 95% Wilson interval. */
  rate: number;
  rateInterval: [number, number];
  /** Quantiles over all runs, a miss counting as never (null when the quantile is a miss). */
  medianSeconds: number | null;
  p95Seconds: number | null;
  medianSamples: number | null;
  p95Samples: number | null;
}

export interface Aggregate {
  cell: Cell;
  scenario: Scenario;
  gates: GateSummary[];
}

interface Result {
  task: { cellIndex: number; scenario: Scenario };
  outcomes: Outcome[][];
}

/** Nearest-rank quantile with misses as +∞; null when it lands on a miss. */
function quantile(values: number[], runs: number, q: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * runs));
  return rank <= sorted.length ? (sorted[rank - 1] ?? null) : null;
}

export function aggregate(cells: readonly Cell[], results: readonly Result[]): Aggregate[] {
  const grouped = new Map<string, { cellIndex: number; scenario: Scenario; outcomes: Outcome[][] }>();
  for (const { task, outcomes } of results) {
    const key = `${task.cellIndex}|${task.scenario}`;
    const entry = grouped.get(key) ?? { cellIndex: task.cellIndex, scenario: task.scenario, outcomes: [] };
    entry.outcomes.push(...outcomes);
    grouped.set(key, entry);
  }
  const aggregates: Aggregate[] = [];
  for (const { cellIndex, scenario, outcomes } of grouped.values()) {
    const cell = cells[cellIndex];
    if (!cell) continue;
    const gates = GATE_NAMES.map((gate, index): GateSummary => {
      const hits = outcomes.map((o) => o[index] ?? null).filter((o): o is NonNullable<Outcome> => o !== null);
      const runs = outcomes.length;
      const seconds = hits.map((h) => h.at).filter((at) => at <= BAKE_SECONDS);
      const samples = hits.map((h) => h.samples);
      return {
        gate,
        runs,
        rolledBack: hits.length,
        rate: hits.length / runs,
        rateInterval: wilsonInterval(hits.length, runs, 0.95),
        medianSeconds: quantile(seconds, runs, 0.5),
        p95Seconds: quantile(seconds, runs, 0.95),
        medianSamples: quantile(samples, runs, 0.5),
        p95Samples: quantile(samples, runs, 0.95),
      };
    });
    aggregates.push({ cell, scenario, gates });
  }
  const order = (a: Aggregate) => cells.indexOf(a.cell);
  return aggregates.sort((a, b) => order(a) - order(b));
}
