import { UnknownWorkloadError } from './port';

export type MemoryOperation = 'current' | 'prepare' | 'shift' | 'start' | 'promote' | 'rollback';

type Fault = { kind: 'fail'; error: Error } | { kind: 'hang' };

/**
 * The faults an in-memory platform acts out, as an AWS API would: throttled or broken calls, calls
 * that never answer, and a workload that does not exist. Faults belong to one adapter instance, so a
 * "crash" (a new instance over the same state) starts without them.
 */
export class MemoryFaults {
  private readonly queued = new Map<MemoryOperation, Fault[]>();

  constructor(
    private readonly workload: string,
    private readonly operations: readonly MemoryOperation[],
    private readonly exists = true,
  ) {}

  /** The next `times` calls of `operation` throw `error`. */
  failNext(operation: MemoryOperation, error: Error, times = 1): void {
    for (let i = 0; i < times; i += 1) this.queue(operation, { kind: 'fail', error });
  }

  /** The next call of `operation` returns a promise that never settles. */
  hangNext(operation: MemoryOperation): void {
    this.queue(operation, { kind: 'hang' });
  }

  /** Runs `body` as `operation`, unless a fault is due; a faulted call changes nothing. */
  async run<T>(operation: MemoryOperation, body: () => T): Promise<T> {
    if (!this.exists) throw new UnknownWorkloadError(this.workload, 'the in-memory platform');
    const fault = this.queued.get(operation)?.shift();
    if (fault?.kind === 'hang') return new Promise<T>(() => {});
    if (fault?.kind === 'fail') throw fault.error;
    return body();
  }

  private queue(operation: MemoryOperation, fault: Fault): void {
    if (!this.operations.includes(operation)) {
      throw new Error(
        `cannot inject a fault into "${operation}": this in-memory platform's operations are ${this.operations.join(', ')}`,
      );
    }
    this.queued.set(operation, [...(this.queued.get(operation) ?? []), fault]);
  }
}
