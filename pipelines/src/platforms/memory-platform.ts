import { type Platform, type TrafficState, UnknownWorkloadError } from './port';

type Operation = 'current' | 'shift' | 'promote' | 'rollback';

/** A change of traffic, kept so synthetic traffic can be split the way it was at any moment. */
export interface WeightChange {
  at: number;
  state: TrafficState;
}

/**
 * An in-memory platform for scenario tests and the demo. It records every traffic change with its
 * time and can be told to fail an operation, as a throttled or broken AWS API would.
 */
export class MemoryPlatform implements Platform {
  private state: TrafficState;
  private readonly failures = new Map<Operation, Error[]>();
  readonly history: WeightChange[] = [];

  constructor(
    readonly workload: string,
    stable: string,
    private readonly now: () => number,
    private readonly exists = true,
  ) {
    this.state = { stable, canaryWeight: 0 };
    this.record();
  }

  /** The next `times` calls of `operation` throw `error`. */
  failNext(operation: Operation, error: Error, times = 1): void {
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), ...Array(times).fill(error)]);
  }

  /** Puts the platform in the state an interrupted release would leave behind. */
  seed(state: TrafficState): void {
    this.state = { ...state };
    this.record();
  }

  /** Share of traffic (0..1) that `version` received at time `at`. */
  shareAt(version: string, at: number): number {
    const change = this.history.findLast((entry) => entry.at <= at) ?? this.history[0];
    if (!change) return 0;
    const { stable, canary, canaryWeight } = change.state;
    if (version === canary) return canaryWeight / 100;
    if (version === stable) return (100 - (canary ? canaryWeight : 0)) / 100;
    return 0;
  }

  async current(): Promise<TrafficState> {
    this.check('current');
    return { ...this.state };
  }

  async shift(version: string, weight: number): Promise<void> {
    this.check('shift');
    if (weight < 0 || weight > 100) throw new RangeError(`weight must be 0..100, got ${weight}`);
    if (version === this.state.stable) throw new Error(`${version} is already the stable version`);
    this.state = { stable: this.state.stable, canary: version, canaryWeight: weight };
    this.record();
  }

  async promote(): Promise<void> {
    this.check('promote');
    if (this.state.canary) this.state = { stable: this.state.canary, canaryWeight: 0 };
    this.record();
  }

  async rollback(): Promise<void> {
    this.check('rollback');
    this.state = { stable: this.state.stable, canaryWeight: 0 };
    this.record();
  }

  private check(operation: Operation): void {
    if (!this.exists) throw new UnknownWorkloadError(this.workload, 'the in-memory platform');
    const error = this.failures.get(operation)?.shift();
    if (error) throw error;
  }

  private record(): void {
    this.history.push({ at: this.now(), state: { ...this.state } });
  }
}
