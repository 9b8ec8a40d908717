import { seededRandom } from '@tollgate/pipelines/random/seeded-random';
import { BAKE_SECONDS, type Outcome } from './release';

/** What is compared of one judge's releases in one cell and scenario. */
const MEASURES = {
  'samples to fail (median)': (o: readonly Outcome[]) =>
    median(o.map((x) => (x.end === 'fail' ? x.samples : Infinity))),
  'time to fail (median, s)': (o: readonly Outcome[]) =>
    median(o.map((x) => (x.end === 'fail' ? x.at : Infinity))),
  'missed in the bake': (o: readonly Outcome[]) =>
    share(o, (x) => !(x.end === 'fail' && x.at <= BAKE_SECONDS)),
  promoted: (o: readonly Outcome[]) => share(o, (x) => x.end === 'promoted'),
  'rolled back': (o: readonly Outcome[]) => share(o, (x) => x.end !== 'promoted'),
} as const;
type Measure = keyof typeof MEASURES;

export interface PairedRow {
  cell: string;
  scenario: string;
  runs: number;
  measure: Measure;
  before: number;
  after: number;
  /** after − before, and the 95% percentile-bootstrap interval of that difference (releases resampled in pairs). */
  difference: number;
  interval: [number, number];
}

const BOOTSTRAP_RESAMPLES = 1000;

interface Series {
  cell: string;
  scenario: string;
  outcomes: Outcome[];
}

/** Every measure of every cell and scenario both recordings have, release by release. */
export function pairedRows(before: { series: Series[] }, after: { series: Series[] }): PairedRow[] {
  const rows: PairedRow[] = [];
  for (const a of before.series) {
    const b = after.series.find((s) => s.cell === a.cell && s.scenario === a.scenario);
    if (!b) continue;
    const runs = Math.min(a.outcomes.length, b.outcomes.length);
    const pairs = { before: a.outcomes.slice(0, runs), after: b.outcomes.slice(0, runs) };
    for (const measure of measuresFor(a.scenario)) rows.push(pairedRow(a, measure, pairs, runs));
  }
  return rows;
}

function measuresFor(scenario: string): Measure[] {
  return scenario === 'healthy'
    ? ['rolled back']
    : ['samples to fail (median)', 'time to fail (median, s)', 'missed in the bake', 'promoted'];
}

function pairedRow(
  series: Series,
  measure: Measure,
  pairs: { before: Outcome[]; after: Outcome[] },
  runs: number,
): PairedRow {
  const of = MEASURES[measure];
  const before = of(pairs.before);
  const after = of(pairs.after);
  const rng = seededRandom(runs);
  const differences: number[] = [];
  for (let r = 0; r < BOOTSTRAP_RESAMPLES; r++) {
    const picks = Array.from({ length: runs }, () => Math.floor(rng.uniform() * runs));
    differences.push(
      difference(
        of(picks.map((i) => pairs.before[i] as Outcome)),
        of(picks.map((i) => pairs.after[i] as Outcome)),
      ),
    );
  }
  differences.sort((x, y) => x - y);
  const at = (q: number) =>
    differences[Math.min(BOOTSTRAP_RESAMPLES - 1, Math.floor(q * BOOTSTRAP_RESAMPLES))] as number;
  return {
    cell: series.cell,
    scenario: series.scenario,
    runs,
    measure,
    before,
    after,
    difference: difference(before, after),
    interval: [at(0.025), at(0.975)],
  };
}

/** after − before, where both may be "never" (+∞). */
function difference(before: number, after: number): number {
  return before === after ? 0 : after - before;
}

function median(values: number[]): number {
  const sorted = values.sort((x, y) => x - y);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

function share(outcomes: readonly Outcome[], counts: (o: Outcome) => boolean): number {
  return outcomes.filter(counts).length / outcomes.length;
}

export function renderPairedRows(rows: readonly PairedRow[]): string {
  const lines = [
    '| cell | scenario | releases | measure | before | after | after − before (95%) |',
    '|---|---|---:|---|---:|---:|---|',
  ];
  for (const row of rows) {
    const value = (v: number) => (row.measure.includes('median') ? shown(v, 0) : `${shown(v * 100, 1)}%`);
    const [low, high] = row.interval.map(value);
    lines.push(
      `| ${row.cell} | ${row.scenario} | ${row.runs} | ${row.measure} | ${value(row.before)} | ${value(row.after)} | ${value(row.difference)} (${low} to ${high}) |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function shown(value: number, digits: number): string {
  if (value === Infinity) return 'never';
  if (value === -Infinity) return '−never';
  return value.toFixed(digits);
}
