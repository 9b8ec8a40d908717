/** What a platform is serving right now. Weights are percentages of traffic on the canary. */
export interface TrafficState {
  stable: string;
  /** The version receiving canary traffic, if a release is under way. */
  canary?: string;
  /** 0..100: share of traffic on `canary`; 0 when there is none. */
  canaryWeight: number;
}

/**
 * One workload on one compute platform. Every method is idempotent and safe to call again after a
 * crash, because the truth about a release lives in the platform, not in the process driving it.
 */
export interface Platform {
  readonly workload: string;
  current(): Promise<TrafficState>;
  /** Sends `weight`% of traffic to `version`, the rest to stable. */
  shift(version: string, weight: number): Promise<void>;
  /** Makes the canary the new stable at 100%. */
  promote(): Promise<void>;
  /** Sends 100% back to stable and drops the canary. */
  rollback(): Promise<void>;
}

export function describeTraffic(state: TrafficState): string {
  if (!state.canary) return `${state.stable} at 100%`;
  return `${state.stable} at ${100 - state.canaryWeight}%, ${state.canary} at ${state.canaryWeight}%`;
}

/** The platform has no such workload: bad input, not a transient fault. */
export class UnknownWorkloadError extends Error {
  constructor(workload: string, where: string) {
    super(`workload "${workload}" not found on ${where}`);
    this.name = 'UnknownWorkloadError';
  }
}
