import type { GateReading } from './reading';

export type ReleaseEventType =
  | 'plan'
  | 'reconcile'
  | 'preflight'
  | 'blocked'
  | 'prepare'
  | 'shift'
  | 'platform'
  | 'poll'
  | 'step-passed'
  | 'step-failed'
  | 'hold'
  | 'approve'
  | 'promote'
  | 'rollback'
  | 'failed';

/** Every transition of a release, in order; logs, the report and the ledger are all built from these. */
export interface ReleaseEvent {
  at: number;
  type: ReleaseEventType;
  message: string;
  step?: number;
  weight?: number;
  readings?: GateReading[];
}
