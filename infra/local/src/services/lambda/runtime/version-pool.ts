import type { ExecutionEnvironment } from './execution-environment';
import type { InitializationType } from './function-environment';

/**
 * The execution environments of one version. An invocation takes an idle one (warm) or starts a new
 * one when all are busy (a cold start); an environment that died, or that was started with faults the
 * FaultPlan no longer gives the version, is not used again.
 */
export class VersionPool {
  private environments: ExecutionEnvironment[] = [];
  private readonly stopping = new Set<Promise<void>>();

  constructor(
    private readonly start: (
      faults: string,
      initialization: InitializationType,
    ) => Promise<ExecutionEnvironment>,
  ) {}

  /** An environment for one invocation, marked busy; `cold` when it was started for it. */
  async acquire(faults: string): Promise<{ environment: ExecutionEnvironment; cold: boolean }> {
    this.retire(faults);
    const idle = this.environments.find((environment) => !environment.busy);
    if (idle) {
      idle.busy = true;
      return { environment: idle, cold: false };
    }
    const environment = await this.start(faults, 'on-demand');
    environment.busy = true;
    this.environments.push(environment);
    return { environment, cold: true };
  }

  /** Starts environments up to `count` idle ones, ahead of any invocation. */
  async prewarm(faults: string, count: number): Promise<void> {
    this.retire(faults);
    const idle = this.environments.filter((environment) => !environment.busy).length;
    const started = await Promise.all(
      Array.from({ length: Math.max(0, count - idle) }, () => this.start(faults, 'provisioned-concurrency')),
    );
    this.environments.push(...started);
    await Promise.all(started.map((environment) => environment.init));
  }

  release(environment: ExecutionEnvironment): void {
    environment.busy = false;
    if (!environment.alive()) this.drop(environment);
  }

  /** Stops an environment whose invocation failed it (a crash, a timeout, a failed init). */
  async discard(environment: ExecutionEnvironment): Promise<void> {
    this.drop(environment);
    await environment.stop();
  }

  async stopAll(): Promise<void> {
    const all = this.environments;
    this.environments = [];
    await Promise.all([...all.map((environment) => environment.stop()), ...this.stopping]);
  }

  get pids(): number[] {
    return this.environments.flatMap((environment) =>
      environment.pid === undefined ? [] : [environment.pid],
    );
  }

  get size(): number {
    return this.environments.length;
  }

  private retire(faults: string): void {
    for (const environment of [...this.environments]) {
      const stale = !environment.alive() || environment.faults !== faults;
      if (stale && !environment.busy) {
        this.drop(environment);
        const stopped = environment.stop().finally(() => this.stopping.delete(stopped));
        this.stopping.add(stopped);
      }
    }
  }

  private drop(environment: ExecutionEnvironment): void {
    this.environments = this.environments.filter((candidate) => candidate !== environment);
  }
}
