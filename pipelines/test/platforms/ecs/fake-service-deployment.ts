import type {
  DeploymentConfiguration,
  DeploymentLifecycleHookAction,
  DeploymentLifecycleHookDetail,
  ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import type { VirtualClock } from '../../../src/time/clock';

/** How long ECS takes for the parts of a deployment it runs without being asked. */
export interface DeploymentTiming {
  /** Starting the target revision's tasks until they are healthy (or fail their health checks). */
  scaleUpMs: number;
  /** Moving the listener rule's weights for one production traffic step. */
  shiftMs: number;
  /** A rollback returns production traffic to the source this long after it starts... */
  rollbackShiftMs: number;
  /** ...and ends (ROLLBACK_SUCCESSFUL) this long after that, once the target's tasks drained. */
  drainMs: number;
  cleanUpMs: number;
}

export interface RevisionRef {
  revision: string;
  taskDefinition: string;
}

/**
 * One ECS-native blue/green (CANARY or LINEAR) service deployment moving through its lifecycle stages on
 * a virtual clock, as the ECS developer guide describes them: scale up, test traffic, then before every
 * production traffic step PRE_PRODUCTION_TRAFFIC_SHIFT (where a PAUSE hook waits for
 * ContinueServiceDeployment, or times out with its action), the shift, the step's bake; after 100% the
 * deployment bake, clean up, SUCCESSFUL. A rollback returns traffic to the source and drains the target.
 */
export class FakeServiceDeployment {
  status: ServiceDeploymentStatus = 'IN_PROGRESS';
  stage = 'SCALE_UP';
  statusReason?: string;
  weight = 0;
  hooks: DeploymentLifecycleHookDetail[] = [];
  readonly createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  rollback?: { reason: string; startedAt: number };
  /** Bumped on every change of course, so timers set for an earlier course do nothing. */
  private epoch = 0;
  private hookCount = 0;

  constructor(
    readonly arn: string,
    readonly source: RevisionRef,
    readonly target: RevisionRef,
    readonly configuration: DeploymentConfiguration,
    private readonly clock: VirtualClock,
    private readonly timing: DeploymentTiming,
    private readonly events: {
      /** Production traffic moved: `weight`% is on the target now. */
      shifted(deployment: FakeServiceDeployment): void;
      /** The service runs `taskDefinition` again (a rollback). */
      reverted(deployment: FakeServiceDeployment): void;
    },
    failsHealthChecks: boolean,
  ) {
    this.createdAt = clock.now();
    this.updatedAt = this.createdAt;
    this.later(timing.scaleUpMs, () => {
      if (failsHealthChecks)
        this.rollBack(
          'ECS deployment circuit breaker: tasks failed to start. Rolling back to the source revision.',
        );
      else this.beforeShift();
    });
  }

  get inFlight(): boolean {
    return [
      'PENDING',
      'IN_PROGRESS',
      'ROLLBACK_REQUESTED',
      'ROLLBACK_IN_PROGRESS',
      'STOP_REQUESTED',
    ].includes(this.status);
  }

  /** The weights the configuration shifts through (CanaryConfiguration, LinearConfiguration). */
  get weights(): number[] {
    const { strategy, canaryConfiguration, linearConfiguration } = this.configuration;
    if (strategy === 'CANARY') return [canaryConfiguration?.canaryPercent ?? 5, 100];
    const step = Math.round((linearConfiguration?.stepPercent ?? 10) * 10);
    const weights: number[] = [];
    for (let tenths = step; tenths < 1000; tenths += step) weights.push(tenths / 10);
    return [...weights, 100];
  }

  awaiting(): DeploymentLifecycleHookDetail | undefined {
    return this.hooks.find((hook) => hook.status === 'AWAITING_ACTION');
  }

  /** ContinueServiceDeployment: true if the hook was awaiting action and is answered now. */
  answer(hookId: string, action: DeploymentLifecycleHookAction): boolean {
    const hook = this.awaiting();
    if (this.status !== 'IN_PROGRESS' || hook?.hookId !== hookId) return false;
    hook.status = 'SUCCEEDED';
    if (action === 'ROLLBACK') this.rollBack('Rolled back by ContinueServiceDeployment at a lifecycle hook.');
    else this.shift();
    return true;
  }

  /** StopServiceDeployment ROLLBACK, an alarm, the circuit breaker: ECS returns traffic to the source. */
  rollBack(reason: string): void {
    if (!this.inFlight || this.status !== 'IN_PROGRESS') return;
    this.course();
    this.status = 'ROLLBACK_IN_PROGRESS';
    this.statusReason = reason;
    this.rollback = { reason, startedAt: this.clock.now() };
    for (const hook of this.hooks) if (hook.status === 'AWAITING_ACTION') hook.status = 'FAILED';
    this.events.reverted(this);
    this.later(this.timing.rollbackShiftMs, () => {
      this.move(0);
      this.later(this.timing.drainMs, () => this.finish('ROLLBACK_SUCCESSFUL'));
    });
  }

  private beforeShift(): void {
    this.set('PRE_PRODUCTION_TRAFFIC_SHIFT');
    const pause = (this.configuration.lifecycleHooks ?? []).find(
      (hook) => hook.targetType === 'PAUSE' && hook.lifecycleStages?.includes('PRE_PRODUCTION_TRAFFIC_SHIFT'),
    );
    if (!pause) {
      this.shift();
      return;
    }
    const minutes = pause.timeoutConfiguration?.timeoutInMinutes ?? 1440;
    const action = pause.timeoutConfiguration?.action ?? 'ROLLBACK';
    const expiresAt = this.clock.now() + minutes * 60_000;
    const hook: DeploymentLifecycleHookDetail = {
      hookId: `ecs-pause-${this.arn.split('/').at(-1)}-${++this.hookCount}`,
      targetType: 'PAUSE',
      status: 'AWAITING_ACTION',
      expiresAt: new Date(expiresAt),
      timeoutAction: action,
    };
    this.hooks = [...this.hooks, hook];
    this.later(minutes * 60_000, () => {
      if (hook.status !== 'AWAITING_ACTION') return;
      hook.status = 'TIMED_OUT';
      if (action === 'ROLLBACK') this.rollBack('The PAUSE lifecycle hook timed out.');
      else this.shift();
    });
  }

  private shift(): void {
    this.course();
    this.set('PRODUCTION_TRAFFIC_SHIFT');
    const next = this.weights.find((weight) => weight > this.weight + 1e-6) ?? 100;
    this.later(this.timing.shiftMs, () => {
      this.move(next);
      if (next >= 100) {
        this.afterProduction();
        return;
      }
      const bake = (this.stepBakeMinutes() ?? 0) * 60_000;
      if (bake === 0) this.beforeShift();
      else this.later(bake, () => this.beforeShift());
    });
  }

  private afterProduction(): void {
    this.set('BAKE_TIME');
    this.later((this.configuration.bakeTimeInMinutes ?? 0) * 60_000, () => {
      this.set('CLEAN_UP');
      this.later(this.timing.cleanUpMs, () => this.finish('SUCCESSFUL'));
    });
  }

  private stepBakeMinutes(): number | undefined {
    const { strategy, canaryConfiguration, linearConfiguration } = this.configuration;
    return strategy === 'CANARY'
      ? (canaryConfiguration?.canaryBakeTimeInMinutes ?? 10)
      : (linearConfiguration?.stepBakeTimeInMinutes ?? 6);
  }

  private move(weight: number): void {
    this.weight = weight;
    this.updatedAt = this.clock.now();
    this.events.shifted(this);
  }

  private finish(status: ServiceDeploymentStatus): void {
    this.status = status;
    this.finishedAt = this.clock.now();
    this.updatedAt = this.finishedAt;
  }

  private set(stage: string): void {
    this.stage = stage;
    this.updatedAt = this.clock.now();
  }

  private course(): void {
    this.epoch += 1;
  }

  /** Runs `then` after `ms` of virtual time unless the deployment changed course in between. */
  private later(ms: number, then: () => void): void {
    const epoch = this.epoch;
    this.clock.at(this.clock.now() + ms, () => {
      if (this.epoch === epoch) then();
    });
  }
}
