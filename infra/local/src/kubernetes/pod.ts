import type { ContainerRuntime, ContainerSpec, RunningContainer } from '../runtime/container-runtime';
import type { PodIdentity } from './pod-spec';

export type PodPhase = 'starting' | 'ready' | 'failed' | 'terminating';

/**
 * One pod of a ReplicaSet: a container the runtime runs, ready once its `/health` answers (the manifests'
 * readiness probe), failed when the process exits before (a crash on start). A crashed pod is not
 * restarted: it stays failed, as a pod in CrashLoopBackOff stays unready.
 */
export class Pod {
  phase: PodPhase = 'starting';
  private container?: RunningContainer;
  private readonly started: Promise<void>;

  constructor(
    readonly identity: PodIdentity,
    readonly templateHash: string,
    spec: ContainerSpec,
    runtime: ContainerRuntime,
    private readonly changed: () => void,
  ) {
    this.started = runtime.start(spec).then(
      (container) => this.watch(container),
      () => this.fail(),
    );
  }

  get name(): string {
    return this.identity.name;
  }

  /** Ready while its process runs: a process that exits later (a crash) makes it unready again. */
  ready(): boolean {
    return this.phase === 'ready' && this.container?.running() === true;
  }

  /** `http://127.0.0.1:<port>` once its process is up. */
  url(): string | undefined {
    return this.container?.url;
  }

  /** Stops its process (waiting for a start still under way). */
  async terminate(): Promise<void> {
    this.phase = 'terminating';
    await this.started;
    await this.container?.stop();
  }

  private watch(container: RunningContainer): void {
    this.container = container;
    if (this.phase === 'terminating') return;
    container.ready.then(
      () => {
        if (this.phase !== 'starting') return;
        this.phase = 'ready';
        this.changed();
      },
      () => this.fail(),
    );
  }

  private fail(): void {
    if (this.phase === 'terminating') return;
    this.phase = 'failed';
    this.changed();
  }
}
