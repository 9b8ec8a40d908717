import { wilsonInterval } from '@tollgate/pipelines/judge/sequential';
import { BAKE_SECONDS, GATE_NAMES, type GateName, type Outcome } from './release';
import type { Cell, Scenario } from './traffic';

/** A share of releases with its 95% Wilson interval. */
export interface Share {
  count: number;
  rate: number;
  interval: [number, number];
}

export interface GateSummary {
  gate: GateName;
  runs: number;
  /** Releases rolled back for any reason: a fail, or still undecided at the maximum bake. */
  rolledBack: Share;
  /** Releases rolled back on a fail (for a healthy canary: a false fail). */
  failed: Share;
  /** Releases promoted (for a regression: it reached everyone). */
  promoted: Share;
  /** Releases not rolled back on a fail within the 15-minute bake (the earlier benchmark's "missed"). */
  missedInBake: Share;
  /** Time and canary samples to a fail, over all runs, a release without one counting as never. */
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

function share(count: number, runs: number): Share {
  return { count, rate: count / runs, interval: wilsonInterval(count, runs, 0.95) };
}

function summarise(gate: GateName, outcomes: readonly Outcome[]): GateSummary {
  const runs = outcomes.length;
  const fails = outcomes.filter((o) => o.end === 'fail');
  const seconds = fails.map((o) => o.at);
  const samples = fails.map((o) => o.samples);
  return {
    gate,
    runs,
    rolledBack: share(runs - outcomes.filter((o) => o.end === 'promoted').length, runs),
    failed: share(fails.length, runs),
    promoted: share(outcomes.filter((o) => o.end === 'promoted').length, runs),
    missedInBake: share(runs - fails.filter((o) => o.at <= BAKE_SECONDS).length, runs),
    medianSeconds: quantile(seconds, runs, 0.5),
    p95Seconds: quantile(seconds, runs, 0.95),
    medianSamples: quantile(samples, runs, 0.5),
    p95Samples: quantile(samples, runs, 0.95),
  };
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
    const gates = GATE_NAMES.map((gate, index) =>
      summarise(
        gate,
        outcomes.map((o) => o[index] as Outcome),
      ),
    );
    aggregates.push({ cell, scenario, gates });
  }
  const order = (a: Aggregate) => cells.indexOf(a.cell);
  return aggregates.sort((a, b) => order(a) - order(b));
}
