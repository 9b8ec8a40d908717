import type { Judgement } from '../judge/canary-judge';
import type { Verdict } from '../judge/verdict';

/** `platform`: the platform's own view of the step (a deployment still running where it should be). */
export type GateKind = 'alarm' | 'latency' | 'errors' | 'platform';

/** One reading of one gate at one poll: the data a human needs to see why the release did what it did. */
export interface GateReading {
  gate: GateKind;
  /** The alarm name, or the metric compared ("p99 latency", "fault rate"). */
  metric: string;
  verdict: Verdict;
  reason: string;
  at: number;
  /** What the reading covers; for traces `to` is the time up to which their data was complete. */
  window: { from: number; to: number };
  unit?: Judgement['unit'] | 'state';
  canary?: number;
  baseline?: number;
  threshold?: number;
  samples?: { canary: number; baseline: number };
  /** The alarm's state, for alarm readings. */
  state?: string;
  /** Further explanation from the judge (estimate, interval, statistic). */
  details?: Record<string, number | string | readonly number[]>;
}
