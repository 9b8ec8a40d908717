import type { JudgeObjectives } from '@tollgate/pipelines/judge/canary-judge';
import { createSequentialJudge } from '@tollgate/pipelines/judge/sequential-judge';
import { seedFrom } from '@tollgate/pipelines/random/seeded-random';
import { type BenchGate, KayentaGate, StaticAlarmGate, TollgateGate } from './gates';
import { type Cell, healthyQuantilesCached, type Scenario, traffic } from './traffic';

export const BAKE_SECONDS = 15 * 60;
/** The policy default: a step may bake up to twice its bake while its gates are inconclusive. */
export const MAX_BAKE_SECONDS = 2 * BAKE_SECONDS;
export const POLL_SECONDS = 30;
export const GATE_NAMES = ['static alarm', 'Kayenta', 'Tollgate'] as const;
export type GateName = (typeof GATE_NAMES)[number];

/** The policy Tollgate's judge runs with in the benchmark. */
export const OBJECTIVES: JudgeObjectives = {
  latency: { p50Increase: 0.02, p99Increase: 0.1 },
  errors: { maxRateIncrease: 0.01 },
  minSamples: 30,
};

/**
 * How a release ended for one gate, when (seconds into the step) and after how many canary samples:
 * rolled back on a `fail`, promoted on a `pass` at or after the bake, or rolled back `undecided` at
 * the maximum bake (the default `onInconclusive: rollback`).
 */
export interface Outcome {
  end: 'fail' | 'promoted' | 'undecided';
  at: number;
  samples: number;
}

/** The seed of one release: the original cells keep theirs, so their traffic is as before. */
function seedOf(cell: Cell, scenario: Scenario, run: number): number {
  const shape = [
    cell.drift === 'sine' ? [] : [cell.drift],
    cell.arrivals === 'poisson' ? [] : [cell.arrivals],
  ];
  return seedFrom(cell.rate, cell.canaryShare, cell.latency, cell.sampling, ...shape.flat(), scenario, run);
}

/**
 * One simulated release step: the same traffic through the gates (all three unless named), polled every 30 s, decided
 * as `bakeStep` decides it (a 15-minute bake, extended up to 30 minutes while undecided).
 */
export function runRelease(
  cell: Cell,
  scenario: Scenario,
  run: number,
  gateNames: readonly GateName[] = GATE_NAMES,
): Outcome[] {
  const gates = gateNames.map((name) => gateFor(name, cell));
  const outcomes: (Outcome | null)[] = gates.map(() => null);
  let elapsed = 0;
  for (const second of traffic(cell, scenario, seedOf(cell, scenario, run), MAX_BAKE_SECONDS)) {
    elapsed++;
    for (const [index, gate] of gates.entries()) if (outcomes[index] === null) gate.feed(second);
    if (elapsed % POLL_SECONDS !== 0) continue;
    for (const [index, gate] of gates.entries()) {
      if (outcomes[index] !== null) continue;
      const verdict = gate.poll(elapsed);
      const end =
        verdict === 'fail'
          ? 'fail'
          : elapsed >= BAKE_SECONDS && verdict === 'pass'
            ? 'promoted'
            : elapsed >= MAX_BAKE_SECONDS
              ? 'undecided'
              : undefined;
      if (end) outcomes[index] = { end, at: elapsed, samples: gate.canarySamples };
    }
    if (outcomes.every((o) => o !== null)) break;
  }
  return outcomes.map((o) => o ?? { end: 'undecided', at: elapsed, samples: 0 });
}

function gateFor(name: GateName, cell: Cell): BenchGate {
  if (name === 'static alarm') return new StaticAlarmGate(1.1 * healthyQuantilesCached(cell.latency).p99);
  if (name === 'Kayenta') return new KayentaGate(OBJECTIVES.minSamples);
  return new TollgateGate(createSequentialJudge(OBJECTIVES));
}
