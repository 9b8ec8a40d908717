import type { Verdict } from '../judge/verdict';
import type { Step } from '../plan/shape';
import type { Revision } from '../platforms/port';
import type { ReleaseMethodId, TrafficDriver } from '../targets/capabilities';
import type { PlatformKind } from '../targets/manifest';
import type { ReleaseEvent } from './events';
import type { GateReading } from './reading';

/** Where a release ran. Only `aws` moves real traffic; `memory` is a simulation, `local` the local cloud. */
export type BackendName = 'memory' | 'local' | 'aws';

/**
 * Where a release stands. `in-progress` and `held` are open: a later run reconciles them, `tollgate approve`
 * continues a held one. `abandoned` closes an open record whose run stopped without finishing it.
 * `failed` means the engine could not restore a clean state and says how traffic stands.
 */
export type ReleaseOutcome =
  | 'in-progress'
  | 'held'
  | 'promoted'
  | 'rolled-back'
  | 'blocked'
  | 'failed'
  | 'abandoned';

export const OPEN_OUTCOMES: readonly ReleaseOutcome[] = ['in-progress', 'held'];

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
  /** Set when a person approved the step after it was held. */
  approvedBy?: string;
}

/** A person's decision to let a held step pass. */
export interface Approval {
  by: string;
  reason: string;
  at: number;
  step: number;
  weight: number;
}

/** Everything about one release: who, what, where, when, verdict and why. The ledger stores these. */
export interface ReleaseRecord {
  id: string;
  workload: string;
  environment: string;
  platform: PlatformKind;
  backend: BackendName;
  /** How traffic moved and who moved it (see `targets/capabilities.ts`). */
  method: ReleaseMethodId;
  driver: TrafficDriver;
  fromVersion: string;
  toVersion: string;
  /** The platform's own references (Lambda version, task definition, digest), once known. */
  fromRevision?: Revision;
  toRevision?: Revision;
  actor: string;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  outcome: ReleaseOutcome;
  verdict?: Verdict;
  reason: string;
  plan: Step[];
  steps: StepRecord[];
  approvals: Approval[];
  /** What the platform's own schedule does not let Tollgate do, stated in the report. */
  limits: string[];
  events: ReleaseEvent[];
  /**
   * Set on the record of `tollgate rollback`: a person returned the workload to an earlier release, all
   * at once and without analysis; `reason` is theirs, word for word (`actor` is who).
   */
  manualRollback?: { reason: string };
}

export function isOpen(record: Pick<ReleaseRecord, 'outcome'>): boolean {
  return OPEN_OUTCOMES.includes(record.outcome);
}
