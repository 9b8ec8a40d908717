import type { Capabilities, TrafficDriver } from '../targets/capabilities';
import { MemoryFaults, type MemoryOperation } from './memory-faults';
import {
  type MemoryPlatformOptions,
  type MemoryPlatformState,
  shareAt,
  type TrafficChange,
} from './memory-state';

/**
 * What both in-memory platforms share: the state they act on, the clock, fault injection, and the
 * traffic history synthetic traffic is split by. `catchUp` lets a platform that moves by itself apply
 * its schedule before anyone reads.
 */
export abstract class MemoryPlatformBase {
  readonly capabilities: Capabilities;
  protected readonly state: MemoryPlatformState;
  protected readonly now: () => number;
  protected readonly faults: MemoryFaults;

  protected constructor(
    options: MemoryPlatformOptions,
    driver: TrafficDriver,
    operations: readonly MemoryOperation[],
  ) {
    if (options.capabilities.driver !== driver) {
      const { method, driver: actual } = options.capabilities;
      throw new Error(
        `${method} is ${actual}-driven; ${new.target.name} acts out only ${driver}-driven methods`,
      );
    }
    this.state = options.state;
    this.capabilities = options.capabilities;
    this.now = options.now;
    this.faults = new MemoryFaults(options.state.workload, operations, options.exists);
  }

  get workload(): string {
    return this.state.workload;
  }

  /** Every traffic change so far, oldest first, at the times they happened. */
  get history(): readonly Readonly<TrafficChange>[] {
    this.catchUp();
    return this.state.history;
  }

  /** The share (0..1) of traffic `version` received at `at`. */
  shareAt(version: string, at: number): number {
    this.catchUp();
    return shareAt(this.state, version, at);
  }

  /** The next `times` calls of `operation` throw `error`, as a throttled or broken AWS API would. */
  failNext(operation: MemoryOperation, error: Error, times = 1): void {
    this.faults.failNext(operation, error, times);
  }

  /** The next call of `operation` never answers. */
  hangNext(operation: MemoryOperation): void {
    this.faults.hangNext(operation);
  }

  protected catchUp(): void {}
}
