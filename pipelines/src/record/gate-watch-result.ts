import type { Verdict } from '../judge/verdict';
import type { ReleaseEvent } from './events';
import type { ExitCode } from './exit-codes';
import type { GateReading } from './reading';
import type { BackendName } from './record';

/** What a watch saw: the verdict and why, every poll (as `poll` events), and the last poll's readings. */
export interface GateWatchResult {
  workload: string;
  environment: string;
  backend: BackendName;
  verdict: Verdict;
  reason: string;
  startedAt: number;
  finishedAt: number;
  windowMs: number;
  pollIntervalMs: number;
  /** How traffic stood when the watch began. */
  traffic: string;
  /** When traffic was split: the canary and baseline versions the trace gates compared. */
  compared?: { canary: string; baseline: string };
  polls: number;
  readings: GateReading[];
  events: ReleaseEvent[];
  exitCode: ExitCode;
}
