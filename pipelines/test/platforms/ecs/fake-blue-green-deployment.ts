import type {
  DeploymentStatus,
  ErrorCode,
  LifecycleEvent,
  TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import type { VirtualClock } from '../../../src/time/clock';

export interface TaskSet {
  id: string;
  taskDefinition: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  externalId?: string;
  createdAt: number;
}

/** What the deployment does to the ECS service's task sets as it goes. */
export interface TaskSetEvents {
  /** The green task set gets `weight`% of production traffic (the listener's weights moved). */
  shifted(deployment: FakeBlueGreenDeployment): void;
  /** All traffic is on green: it becomes the PRIMARY task set. */
  swapped(deployment: FakeBlueGreenDeployment): void;
  /** The blue task set is deleted (after the termination wait). */
  blueDeleted(deployment: FakeBlueGreenDeployment): void;
  /** A rollback: traffic back on blue, the green task set deleted. */
  rolledBack(deployment: FakeBlueGreenDeployment): void;
}

export interface BlueGreenTiming {
  /** Creating the green task set until its tasks are healthy, before AllowTraffic starts. */
  installMs: number;
  /** How long the blue task set is kept after all traffic moved (terminationWaitTimeInMinutes). */
  terminationWaitMs: number;
}

/**
 * One CodeDeploy ECS blue/green deployment on a virtual clock: Install creates the green task set, then
 * AllowTraffic moves production traffic by the deployment configuration's time-based schedule (canary,
 * linear or all at once), then CodeDeploy bakes ("Baking") until the termination wait ends and deletes
 * the blue task set. Stopping it with rollback, or an alarm, puts all traffic back on blue at once.
 */
export class FakeBlueGreenDeployment {
  status: DeploymentStatus = 'InProgress';
  weight = 0;
  readonly createTime: number;
  completeTime?: number;
  error?: { code: ErrorCode; message: string };
  readonly events: LifecycleEvent[];
  private epoch = 0;

  constructor(
    readonly id: string,
    readonly config: string,
    readonly appSpec: { content: string; sha256: string },
    readonly description: string | undefined,
    readonly blue: TaskSet,
    readonly green: TaskSet,
    routing: TrafficRoutingConfig,
    private readonly clock: VirtualClock,
    private readonly timing: BlueGreenTiming,
    private readonly taskSets: TaskSetEvents,
  ) {
    this.createTime = clock.now();
    const at = new Date(this.createTime);
    const event = (name: string, status: LifecycleEvent['status']): LifecycleEvent => ({
      lifecycleEventName: name,
      status,
      ...(status === 'Pending' ? {} : { startTime: at }),
    });
    this.events = [
      event('BeforeInstall', 'Succeeded'),
      event('Install', 'InProgress'),
      event('AfterInstall', 'Pending'),
      event('AllowTraffic', 'Pending'),
      event('AfterAllowTraffic', 'Pending'),
    ];
    this.later(timing.installMs, () => this.allowTraffic(schedule(routing)));
  }

  get active(): boolean {
    return ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'].includes(this.status);
  }

  /** StopDeployment with autoRollbackEnabled, or CodeDeploy's own rollback (an alarm, failed tasks). */
  stop(status: 'Stopped' | 'Failed', error: { code: ErrorCode; message: string }): void {
    if (!this.active) return;
    this.epoch += 1;
    this.status = status;
    this.error = error;
    this.weight = 0;
    this.completeTime = this.clock.now();
    for (const event of this.events) if (event.status === 'InProgress') event.status = 'Failed';
    this.taskSets.rolledBack(this);
  }

  private allowTraffic(steps: { weight: number; afterMs: number }[]): void {
    this.mark('Install', 'Succeeded');
    this.mark('AfterInstall', 'Succeeded');
    this.mark('AllowTraffic', 'InProgress');
    for (const step of steps) this.later(step.afterMs, () => this.shift(step.weight));
  }

  private shift(weight: number): void {
    this.weight = weight;
    this.taskSets.shifted(this);
    if (weight < 100) return;
    this.mark('AllowTraffic', 'Succeeded');
    this.mark('AfterAllowTraffic', 'Succeeded');
    this.status = 'Baking';
    this.taskSets.swapped(this);
    this.later(this.timing.terminationWaitMs, () => {
      this.status = 'Succeeded';
      this.completeTime = this.clock.now();
      this.taskSets.blueDeleted(this);
    });
  }

  private mark(name: string, status: LifecycleEvent['status']): void {
    const event = this.events.find((candidate) => candidate.lifecycleEventName === name);
    if (!event) return;
    const now = new Date(this.clock.now());
    if (event.status === 'Pending') event.startTime = now;
    if (status === 'Succeeded' || status === 'Failed') event.endTime = now;
    event.status = status;
  }

  /** Runs `then` after `ms` of virtual time (at once for 0) unless the deployment was stopped meanwhile. */
  private later(ms: number, then: () => void): void {
    if (ms <= 0) {
      then();
      return;
    }
    const epoch = this.epoch;
    this.clock.at(this.clock.now() + ms, () => {
      if (this.epoch === epoch) then();
    });
  }
}

/** A time-based configuration as weights after AllowTraffic starts. */
function schedule(routing: TrafficRoutingConfig): { weight: number; afterMs: number }[] {
  const minute = 60_000;
  if (routing.type === 'TimeBasedCanary' && routing.timeBasedCanary) {
    const { canaryPercentage = 10, canaryInterval = 5 } = routing.timeBasedCanary;
    return [
      { weight: canaryPercentage, afterMs: 0 },
      { weight: 100, afterMs: canaryInterval * minute },
    ];
  }
  if (routing.type === 'TimeBasedLinear' && routing.timeBasedLinear) {
    const { linearPercentage = 10, linearInterval = 1 } = routing.timeBasedLinear;
    const steps: { weight: number; afterMs: number }[] = [];
    for (let weight = linearPercentage, k = 0; ; weight += linearPercentage, k += 1) {
      steps.push({ weight: Math.min(weight, 100), afterMs: k * linearInterval * minute });
      if (weight >= 100) return steps;
    }
  }
  return [{ weight: 100, afterMs: 0 }];
}
