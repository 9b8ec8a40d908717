import type { GateReading } from '../gates/reading';
import type { Verdict } from '../judge/verdict';
import type { Step } from '../plan/plan';
import type { ReleaseEvent } from './events';

/** How a release ended. `failed` means the engine could not restore a clean state and says so. */
export type ReleaseOutcome = 'promoted' | 'rolled-back' | 'held' | 'blocked' | 'failed';

export interface StepRecord {
  index: number;
  weight: number;
  bakeMs: number;
  startedAt: number;
  endedAt: number;
  verdict: Verdict;
  reason: string;
  polls: number;
  /** The readings of the step's last poll: what decided it. */
  readings: GateReading[];
}

/** Everything about one release: who, what, when, verdict and why. The ledger stores these. */
export interface ReleaseRecord {
  id: string;
  workload: string;
  environment: string;
  platform: string;
  fromVersion: string;
  toVersion: string;
  actor: string;
  startedAt: number;
  finishedAt: number;
  outcome: ReleaseOutcome;
  verdict: Verdict;
  reason: string;
  plan: Step[];
  steps: StepRecord[];
  events: ReleaseEvent[];
}

/** The documented exit codes: 0 promoted, 1 rolled back or failed gate, 3 inconclusive or held. */
export function exitCodeFor(record: Pick<ReleaseRecord, 'outcome' | 'verdict'>): 0 | 1 | 3 {
  if (record.outcome === 'promoted') return 0;
  if (record.outcome === 'held' || record.verdict === 'inconclusive') return 3;
  return 1;
}
