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

/** One request as traced: how long it took and whether it faulted (5xx / unhandled error). */
export interface TraceSample {
  at: number;
  latencyMs: number;
  fault: boolean;
}

export interface TraceQuery {
  workload: string;
  /** The release version the traces are annotated with. */
  version: string;
  /** Window start, inclusive (ms since the epoch). */
  from: number;
  /** Window end, exclusive. */
  to: number;
}

/** Latency and fault samples of one version over a window; callers poll with adjacent windows. */
export interface TraceSource {
  samples(query: TraceQuery): Promise<TraceSample[]>;
}

export class UnknownAlarmError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`alarm${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')}`);
    this.name = 'UnknownAlarmError';
  }
}
