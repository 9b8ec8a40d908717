/** CloudWatch's three alarm states, as `DescribeAlarms` reports them. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmStatus {
  name: string;
  state: AlarmState;
  reason: string;
  /** When the alarm last changed state (ms since the epoch). */
  updatedAt: number;
}

/** States of named alarms. An alarm that does not exist is an error, never a silent OK. */
export interface AlarmSource {
  states(names: readonly string[]): Promise<AlarmStatus[]>;
}

/** One request as traced: which trace, when it started, how long it took and whether it faulted. */
export interface TraceSample {
  /** The trace id (X-Ray `1-…-…`): what makes a sample countable exactly once. */
  traceId: string;
  /** When the request started (ms since the epoch); windows select on this. */
  at: number;
  latencyMs: number;
  /** 5xx or an unhandled error. */
  fault: boolean;
}

export interface TraceWindow {
  workload: string;
  /** The release version the traces are annotated with. */
  version: string;
  /** Start, inclusive (ms since the epoch). */
  from: number;
  /** End, exclusive. */
  to: number;
}

/**
 * How late a source's data arrives. X-Ray indexes a trace tens of seconds after its request; a window
 * read before then misses it. Cursors read only up to `now - settleMs`, and re-read `overlapMs` before
 * that so stragglers are still counted.
 */
export interface TraceTiming {
  settleMs: number;
  overlapMs: number;
}

/**
 * What a trace adapter implements: the samples of one version whose request started in a window, as the
 * backing store has them now. A read may miss traces that are not indexed yet, and may return one trace
 * more than once (pages overlap, retries); `openTraceCursor` deals with both.
 */
export interface TraceSource {
  readonly timing: TraceTiming;
  read(window: TraceWindow): Promise<TraceSample[]>;
}

/** New samples since the last read, and the time up to which the cursor's data is complete. */
export interface TraceBatch {
  samples: TraceSample[];
  /** Every trace that started before this (and at or after the cursor's start) has been returned. */
  completeUntil: number;
}

/** An exactly-once reader of one version's traces from a start time on (see `trace-cursor.ts`). */
export interface TraceCursor {
  /** Samples that became complete since the last call; never a trace twice. */
  next(now: number): Promise<TraceBatch>;
}

/** Everything the gates read. */
export interface Signals {
  alarms: AlarmSource;
  traces: TraceSource;
}

export class UnknownAlarmError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`alarm${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')}`);
    this.name = 'UnknownAlarmError';
  }
}
