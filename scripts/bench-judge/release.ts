import type { JudgeObjectives } from '@tollgate/pipelines/judge/canary-judge';
import { seedFrom } from '@tollgate/pipelines/random/seeded-random';
import { type BenchGate, KayentaGate, StaticAlarmGate, TollgateGate } from './gates';
import { type Cell, healthyQuantilesCached, type Scenario, traffic } from './traffic';

export const BAKE_SECONDS = 15 * 60;
export const POLL_SECONDS = 30;
export const GATE_NAMES = ['static alarm', 'Kayenta', 'Tollgate'] as const;
export type GateName = (typeof GATE_NAMES)[number];

/** The policy Tollgate's judge runs with in the benchmark. */
export const OBJECTIVES: JudgeObjectives = {
  latency: { p50Increase: 0.02, p99Increase: 0.1 },
  errors: { maxRateIncrease: 0.01 },
  minSamples: 30,
};

/** When (seconds into the bake) and after how many canary samples a gate rolled back; null if never. */
export type Outcome = { at: number; samples: number } | null;

/** One simulated release: the same traffic through all three gates, polled every 30 s for 15 minutes. */
export function runRelease(cell: Cell, scenario: Scenario, run: number): Outcome[] {
  const seed = seedFrom(cell.rate, cell.canaryShare, cell.latency, cell.sampling, scenario, run);
  const { p99 } = healthyQuantilesCached(cell.latency);
  const gates: BenchGate[] = [
    new StaticAlarmGate(1.1 * p99),
    new KayentaGate(OBJECTIVES.minSamples),
    new TollgateGate(OBJECTIVES),
  ];
  const outcomes: Outcome[] = gates.map(() => null);
  let elapsed = 0;
  for (const second of traffic(cell, scenario, seed, BAKE_SECONDS)) {
    elapsed++;
    for (const [index, gate] of gates.entries()) if (outcomes[index] === null) gate.feed(second);
    if (elapsed % POLL_SECONDS !== 0) continue;
    for (const [index, gate] of gates.entries()) {
      if (outcomes[index] === null && gate.poll(elapsed))
        outcomes[index] = { at: elapsed, samples: gate.canarySamples };
    }
    if (outcomes.every((o) => o !== null)) break;
  }
  return outcomes;
}
