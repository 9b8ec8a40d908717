import { checkWeight } from './capability-limits';
import type { MemoryOperation } from './memory-faults';
import { MemoryPlatformBase } from './memory-platform-base';
import {
  describeRevision,
  type MemoryPlatformOptions,
  prepareRevision,
  readTraffic,
  requireHeld,
  sameRevision,
  setTraffic,
} from './memory-state';
import type { Artifact, EngineDrivenPlatform, Revision, TrafficState } from './port';

const OPERATIONS: readonly MemoryOperation[] = ['current', 'prepare', 'shift', 'promote', 'rollback'];

/**
 * An in-memory platform whose weights Tollgate sets, like a Lambda alias or EKS ingress weights. Every
 * change lands in the state at once; nothing moves by itself.
 */
export class MemoryEnginePlatform extends MemoryPlatformBase implements EngineDrivenPlatform {
  readonly driver = 'engine';

  constructor(options: MemoryPlatformOptions) {
    super(options, 'engine', OPERATIONS);
  }

  current(): Promise<TrafficState> {
    return this.faults.run('current', () => readTraffic(this.state));
  }

  prepare(artifact: Artifact): Promise<Revision> {
    return this.faults.run('prepare', () => prepareRevision(this.state, artifact.version));
  }

  shift(revision: Revision, weight: number): Promise<void> {
    return this.faults.run('shift', () => {
      checkWeight(weight, this.capabilities);
      this.checkShiftable(revision);
      setTraffic(this.state, this.state.stable, revision, weight, this.now());
    });
  }

  promote(revision: Revision): Promise<void> {
    return this.faults.run('promote', () => {
      const { stable, canary } = this.state;
      if (sameRevision(stable, revision)) return;
      if (!canary || !sameRevision(canary, revision)) {
        throw new Error(
          `cannot promote ${describeRevision(revision)} on ${this.workload}: it is neither the stable revision ` +
            `(${describeRevision(stable)}) nor the canary (${canary ? describeRevision(canary) : 'none'})`,
        );
      }
      setTraffic(this.state, revision, undefined, 0, this.now());
    });
  }

  rollback(to?: Revision): Promise<void> {
    return this.faults.run('rollback', () => {
      if (to) requireHeld(this.state, to, 'roll back to');
      const stable = to ?? this.state.stable;
      setTraffic(this.state, stable, undefined, 0, this.now());
    });
  }

  private checkShiftable(revision: Revision): void {
    const { stable, canary } = this.state;
    if (sameRevision(stable, revision)) {
      throw new Error(
        `cannot shift traffic to ${describeRevision(revision)}: it is already the stable revision`,
      );
    }
    if (canary && sameRevision(canary, revision)) return;
    if (canary && this.state.canaryWeight > 0) {
      throw new Error(
        `cannot shift traffic to ${describeRevision(revision)}: canary ${describeRevision(canary)} still has ` +
          `${this.state.canaryWeight}% of ${this.workload}; roll it back first`,
      );
    }
    requireHeld(this.state, revision, 'shift traffic to');
  }
}
