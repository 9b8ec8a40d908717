import type {
  DeploymentConfiguration,
  DeploymentLifecycleHookAction,
  DeploymentLifecycleHookDetail,
  ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { AwsServiceError } from '../service';
import { DeploymentSignals } from './deployment-signals';
import type { ServiceRevisionRecord } from './service-revision-record';

/** Statuses of a service deployment that still holds or moves traffic. */
const IN_FLIGHT: ReadonlySet<ServiceDeploymentStatus> = new Set([
  'PENDING',
  'IN_PROGRESS',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'STOP_REQUESTED',
]);

/**
 * One ECS service deployment (ECS deployment controller) as it stands: status, lifecycle stage, the
 * target revision's share of production and test traffic, the hooks it waits at. `native-lifecycle.ts`
 * moves it; the API handlers read it and answer its hooks.
 */
export class NativeDeployment {
  status: ServiceDeploymentStatus = 'PENDING';
  /** ServiceDeployment.lifecycleStage: a string, as ECS reports stages its SDK enum lacks. */
  stage = 'RECONCILE_SERVICE';
  statusReason?: string;
  /** The target revision's share of production traffic, 0..100. */
  weight = 0;
  testWeight = 0;
  readonly hooks: DeploymentLifecycleHookDetail[] = [];
  readonly createdAt: number;
  startedAt?: number;
  updatedAt: number;
  finishedAt?: number;
  rollback?: { reason: string; startedAt: number };
  /** Names of the deployment alarms that went into ALARM. */
  triggeredAlarms: string[] = [];
  circuitBreakerTriggered = false;
  /** StopServiceDeployment ABORT: the deployment stops where it is, without a rollback. */
  aborted = false;
  readonly signals: DeploymentSignals;
  private readonly answers = new Map<string, DeploymentLifecycleHookAction>();

  constructor(
    readonly arn: string,
    readonly source: ServiceRevisionRecord,
    readonly target: ServiceRevisionRecord,
    readonly configuration: DeploymentConfiguration,
    private readonly clock: ScaledClock,
  ) {
    this.createdAt = clock.now();
    this.updatedAt = this.createdAt;
    this.signals = new DeploymentSignals(clock);
  }

  get inFlight(): boolean {
    return IN_FLIGHT.has(this.status);
  }

  get rollingBack(): boolean {
    return this.status === 'ROLLBACK_IN_PROGRESS' || this.status === 'ROLLBACK_REQUESTED';
  }

  enter(stage: string): void {
    this.stage = stage;
    this.touch();
  }

  setStatus(status: ServiceDeploymentStatus): void {
    this.status = status;
    if (status === 'IN_PROGRESS') this.startedAt ??= this.clock.now();
    if (!IN_FLIGHT.has(status)) this.finishedAt = this.clock.now();
    this.touch();
  }

  touch(): void {
    this.updatedAt = this.clock.now();
  }

  /** A PAUSE hook's answer, once ContinueServiceDeployment gave it. */
  answerOf(hookId: string): DeploymentLifecycleHookAction | undefined {
    return this.answers.get(hookId);
  }

  /** ContinueServiceDeployment: the hook must await action and the deployment be IN_PROGRESS. */
  answer(hookId: string, action: DeploymentLifecycleHookAction): void {
    const hook = this.hooks.find((candidate) => candidate.hookId === hookId);
    if (!hook) {
      throw new AwsServiceError(
        'InvalidParameterException',
        `The lifecycle hook ${hookId} does not exist on service deployment ${this.arn}.`,
      );
    }
    if (this.status !== 'IN_PROGRESS' || hook.status !== 'AWAITING_ACTION') {
      throw new AwsServiceError(
        'InvalidParameterException',
        `The lifecycle hook ${hookId} is ${hook.status} and the service deployment ${this.status}: only a hook in AWAITING_ACTION of an IN_PROGRESS deployment can be continued.`,
      );
    }
    hook.status = 'SUCCEEDED';
    this.answers.set(hookId, action);
    this.touch();
    if (action === 'ROLLBACK')
      this.signals.interrupt('Rolled back by ContinueServiceDeployment at a lifecycle hook.');
    else this.signals.notify();
  }

  /**
   * StopServiceDeployment (ROLLBACK: ECS returns traffic to the source; ABORT: it stops where it is), an
   * alarm, the circuit breaker.
   */
  requestStop(reason: string, stopType: 'ROLLBACK' | 'ABORT' = 'ROLLBACK'): void {
    const started = this.status === 'IN_PROGRESS' || this.status === 'PENDING';
    if (!started || this.stage === 'CLEAN_UP' || this.signals.interruption !== undefined) {
      throw new AwsServiceError(
        'ConflictException',
        `The service deployment ${this.arn} is ${this.status}; only one in progress can be stopped.`,
      );
    }
    if (stopType === 'ABORT' && this.signals.interruption === undefined) this.aborted = true;
    this.signals.interrupt(reason);
  }
}
