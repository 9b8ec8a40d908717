import type { Step } from '../plan/shape';
import { checkSteps } from './capability-limits';
import type { MemoryOperation } from './memory-faults';
import { MemoryPlatformBase } from './memory-platform-base';
import { catchUp, deploymentStatus, startDeployment, stepStartsAt, stopDeployment } from './memory-schedule';
import {
  describeRevision,
  type MemoryDeployment,
  type MemoryPlatformOptions,
  prepareRevision,
  readTraffic,
  requireHeld,
  sameRevision,
} from './memory-state';
import type { Artifact, DeploymentStatus, PlatformDrivenPlatform, Revision, TrafficState } from './port';

const OPERATIONS: readonly MemoryOperation[] = ['current', 'prepare', 'start', 'promote', 'rollback'];
/** A redeploy of a known revision: the platform replaces what it serves in one go. */
const REDEPLOY: readonly Step[] = [{ weight: 100, bakeMs: 0 }];

/**
 * An in-memory platform that runs its own schedule on the injected clock, like CodeDeploy or App Runner:
 * Tollgate starts a deployment, watches it and can stop it, but never sets a weight. Every accessor first
 * catches up with the schedule, so what it reports is what the platform would have done by now.
 */
export class MemoryScheduledPlatform extends MemoryPlatformBase implements PlatformDrivenPlatform {
  readonly driver = 'platform';

  constructor(options: MemoryPlatformOptions) {
    super(options, 'platform', OPERATIONS);
  }

  /**
   * The running deployment (or, when none runs, the next one to start) fails by itself on reaching step
   * `atStep` (0-based), returning traffic to the previous stable revision: a failure no gate caused.
   * A failure meant for the next deployment that has no such step never fires.
   */
  failDeployment(failure: { atStep: number; reason: string }): void {
    this.catchUp();
    const { atStep, reason } = failure;
    if (!Number.isInteger(atStep) || atStep < 0) {
      throw new RangeError(`atStep must be a step index (0, 1, …), got ${atStep}`);
    }
    const deployment = this.state.deployment;
    if (deployment?.state !== 'running') {
      this.state.nextDeploymentFailure = { stepIndex: atStep, reason };
      return;
    }
    if (atStep <= deployment.stepIndex || atStep >= deployment.steps.length) {
      throw new RangeError(
        `deployment ${deployment.id} is at step index ${deployment.stepIndex} of ${deployment.steps.length}; ` +
          `it can be made to fail at step index ${deployment.stepIndex + 1}..${deployment.steps.length - 1}, not ${atStep}`,
      );
    }
    deployment.failAt = { stepIndex: atStep, reason };
  }

  current(): Promise<TrafficState> {
    return this.faults.run('current', () => {
      this.catchUp();
      const traffic = readTraffic(this.state);
      if (this.state.deployment) traffic.deployment = deploymentStatus(this.state.deployment);
      return traffic;
    });
  }

  prepare(artifact: Artifact): Promise<Revision> {
    return this.faults.run('prepare', () => {
      this.catchUp();
      return prepareRevision(this.state, artifact.version);
    });
  }

  start(revision: Revision, steps: readonly Step[]): Promise<DeploymentStatus> {
    return this.faults.run('start', () => {
      this.catchUp();
      checkSteps(steps, this.capabilities);
      const existing = this.deploymentOf(revision);
      if (existing) return deploymentStatus(existing);
      this.checkStartable(revision);
      return deploymentStatus(startDeployment(this.state, revision, steps, this.now()));
    });
  }

  promote(revision: Revision): Promise<void> {
    return this.faults.run('promote', () => {
      this.catchUp();
      if (sameRevision(this.state.stable, revision)) return;
      throw new Error(
        `cannot promote ${describeRevision(revision)} on ${this.workload}: ${this.whyNotStable(revision)}`,
      );
    });
  }

  rollback(to?: Revision): Promise<void> {
    return this.faults.run('rollback', () => {
      this.catchUp();
      if (to) requireHeld(this.state, to, 'roll back to');
      const deployment = this.state.deployment;
      if (deployment?.state === 'running') this.stop(deployment);
      if (to && !sameRevision(this.state.stable, to)) this.redeploy(to);
    });
  }

  protected override catchUp(): void {
    catchUp(this.state, this.now());
  }

  /** The deployment a repeated start means: this revision's, still running or finished and still stable. */
  private deploymentOf(revision: Revision): MemoryDeployment | undefined {
    const deployment = this.state.deployment;
    if (!deployment || !sameRevision(deployment.revision, revision)) return undefined;
    if (deployment.state === 'running') return deployment;
    const done = deployment.state === 'succeeded' && sameRevision(this.state.stable, revision);
    return done ? deployment : undefined;
  }

  private checkStartable(revision: Revision): void {
    const cannot = `cannot start a deployment of ${describeRevision(revision)} on ${this.workload}`;
    const running = this.state.deployment;
    if (running?.state === 'running') {
      throw new Error(
        `${cannot}: deployment ${running.id} (of ${running.revision.version}) is already in progress`,
      );
    }
    if (sameRevision(this.state.stable, revision))
      throw new Error(`${cannot}: it is already the stable revision`);
    requireHeld(this.state, revision, 'start a deployment of');
  }

  private whyNotStable(revision: Revision): string {
    const deployment = this.state.deployment;
    const stable = `the stable revision is ${describeRevision(this.state.stable)}`;
    if (!deployment || !sameRevision(deployment.revision, revision))
      return `no deployment of it ran; ${stable}`;
    if (deployment.state === 'running') {
      const next = new Date(stepStartsAt(deployment, deployment.stepIndex + 1)).toISOString();
      return (
        `deployment ${deployment.id} is still running (step ${deployment.stepIndex + 1}/${deployment.steps.length}, ` +
        `next shift at ${next}); the platform promotes it when its schedule ends`
      );
    }
    const reason = deployment.reason === undefined ? '' : ` (${deployment.reason})`;
    return `deployment ${deployment.id} ${deployment.state}${reason}; ${stable}`;
  }

  private stop(deployment: MemoryDeployment): void {
    if (!this.capabilities.stoppable) {
      const ends = new Date(stepStartsAt(deployment, deployment.steps.length - 1)).toISOString();
      throw new Error(
        `cannot roll back ${this.workload} now: ${this.capabilities.method} cannot stop deployment ${deployment.id} ` +
          `once started; it ends at ${ends}, then roll back with a redeploy`,
      );
    }
    stopDeployment(this.state, deployment, this.now());
  }

  /** Makes `to` stable again with a deployment of its own; an injected failure can make that fail too. */
  private redeploy(to: Revision): void {
    const deployment = startDeployment(this.state, to, REDEPLOY, this.now());
    if (deployment.state === 'failed') {
      throw new Error(
        `could not roll ${this.workload} back to ${describeRevision(to)}: redeploy ${deployment.id} failed (${deployment.reason})`,
      );
    }
  }
}
