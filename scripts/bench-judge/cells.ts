import type { Cell, Scenario } from './traffic';

/**
 * The benchmark's cells (the original grid and the further traffic shapes) and how many releases
 * each gets.
 */

export const SCENARIOS: Scenario[] = ['healthy', 'slow20', 'slow50', 'p99only', 'slow5'];

const BASE = { drift: 'sine', arrivals: 'poisson' } as const;

/** The original grid: σ 0.5 and heavy-tailed latency at every rate, share and sampling. */
function mainCells(): Cell[] {
  const cells: Cell[] = [];
  for (const sampling of ['full', 'xray'] as const)
    for (const latency of ['lognormal', 'heavy'] as const)
      for (const rate of [10, 100, 1000])
        for (const canaryShare of [0.01, 0.05, 0.1])
          cells.push({ rate, canaryShare, latency, sampling, ...BASE });
  return cells;
}

/** Each further shape changes one thing about the σ 0.5 cells: the latency model, the drift or the arrivals. */
const SHAPES: Pick<Cell, 'latency' | 'drift' | 'arrivals'>[] = [
  ...(['pareto1.5', 'pareto2.5', 'pareto4', 'multimodal', 'integer'] as const).map((latency) => ({
    latency,
    ...BASE,
  })),
  { latency: 'lognormal', drift: 'step', arrivals: 'poisson' },
  { latency: 'lognormal', drift: 'ramp', arrivals: 'poisson' },
  { latency: 'lognormal', drift: 'sine', arrivals: 'bursty' },
  { latency: 'lognormal', drift: 'sine', arrivals: 'diurnal' },
];

/** Where the further shapes run: 1, 5 and 10 canary requests per second, full and X-Ray sampling. */
const SHAPE_TRAFFIC = [
  { rate: 10, canaryShare: 0.1 },
  { rate: 100, canaryShare: 0.05 },
  { rate: 100, canaryShare: 0.1 },
  { rate: 1000, canaryShare: 0.01 },
] as const;

function shapeCells(): Cell[] {
  const cells: Cell[] = [];
  for (const shape of SHAPES)
    for (const sampling of ['full', 'xray'] as const)
      for (const traffic of SHAPE_TRAFFIC) cells.push({ ...traffic, sampling, ...shape });
  return cells;
}

export function allCells(): Cell[] {
  return [...mainCells(), ...shapeCells()];
}

export function isShapeCell(cell: Cell): boolean {
  return (
    !(cell.latency === 'lognormal' || cell.latency === 'heavy') ||
    cell.drift !== 'sine' ||
    cell.arrivals !== 'poisson'
  );
}

/** Samples a release processes per second, which is what its simulation costs. */
function load(cell: Cell): number {
  const canary = cell.rate * cell.canaryShare;
  const traced = (rate: number) =>
    cell.sampling === 'full' ? rate : Math.min(rate, 1) + 0.05 * Math.max(0, rate - 1);
  return canary + traced(canary) + Math.min(traced(cell.rate - canary), 10 * traced(canary), 300);
}

/** Rough CPU cost of simulating one release of a cell, in ms (measured on the reference machine). */
export function releaseCostMs(cell: Cell): number {
  return 4 + 0.75 * load(cell);
}

/**
 * The main cells, which get 2,000 healthy releases whatever they cost: every cell at 10 req/s, every
 * X-Ray-sampled cell at 100 req/s, and 100 req/s with a 5% canary and full sampling.
 */
export function isMainCell(cell: Cell): boolean {
  return cell.rate <= 10 || (cell.rate === 100 && (cell.sampling === 'xray' || cell.canaryShare === 0.05));
}

/**
 * Runs per cell and scenario. Healthy: 2,000 releases in the main cells and wherever that costs under
 * ~80 CPU-seconds, at least 300 elsewhere (a 95% bound under 1.5% when none rolls back); in the
 * further shapes 1,000 where the canary gets at least 5 requests per second (what the false-rollback
 * target is about) and 300 below. Regressions: 30–200 in the original grid, 30 per further shape.
 * The counts are printed next to every result.
 */
export function runsFor(cell: Cell, scenario: Scenario, quick: boolean): number {
  if (quick) return scenario === 'healthy' ? 40 : 10;
  const cost = releaseCostMs(cell);
  if (isShapeCell(cell)) {
    if (scenario !== 'healthy') return 30;
    return cell.rate * cell.canaryShare >= 5 ? 1000 : 300;
  }
  if (scenario === 'healthy') {
    return isMainCell(cell) || cost * 2000 <= 80_000 ? 2000 : Math.max(300, Math.round(25_000 / cost));
  }
  return Math.max(30, Math.min(200, Math.round(4_000 / cost)));
}
