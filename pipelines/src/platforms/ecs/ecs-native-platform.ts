import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Capabilities } from '../../targets/capabilities';
import type { EcsTarget } from '../../targets/manifest';
import type { Clock } from '../../time/clock';
import { checkWeight } from '../capability-limits';
import type { Artifact, EngineDrivenPlatform, Revision, TrafficState } from '../port';
import { EcsService } from './ecs-service';
import { checkNextWeight, type NativeSchedule, releaseConfiguration, scheduleOf } from './native-schedule';
import { type NativeState, readNative, trafficOf } from './native-state';
import { ServiceDeployments, type ServiceDeploymentView } from './service-deployments';
import { TaskDefinitions } from './task-definitions';
import { type Look, type Waiting, waitFor } from './wait-for';

export interface EcsNativePlatformOptions {
  workload: string;
  target: EcsTarget;
  capabilities: Capabilities;
  client: ECSClient;
  clock: Clock;
  /** Between reads while ECS scales up, shifts a step or rolls back (default 10 s). */
  pollMs?: number;
  /** How long one shift, promote or rollback waits for ECS before it gives up (default 30 min). */
  maxWaitMs?: number;
}

const MINUTE = 60_000;
/** DeploymentLifecycleHookTimeoutConfiguration.timeoutInMinutes: 1..20160 (ECS API reference). */
const MAX_HOLD_MINUTES = 20_160;

/**
 * An ECS service with the ECS deployment controller and the CANARY or LINEAR strategy, stepped by Tollgate.
 * A release's UpdateService adds a PAUSE hook before every production traffic shift (and sets ECS's own
 * bake between steps to 0), so the deployment stops before each step until Tollgate continues it
 * (ContinueServiceDeployment CONTINUE): `shift` continues exactly one step, `promote` the rest. A rollback
 * answers the pause with ROLLBACK, or stops the deployment with ROLLBACK when it is not paused. If nobody
 * answers a pause within the hold time, ECS rolls the deployment back by itself.
 */
export class EcsNativePlatform implements EngineDrivenPlatform {
  readonly driver = 'engine';
  readonly workload: string;
  readonly capabilities: Capabilities;
  private readonly service: EcsService;
  private readonly deployments: ServiceDeployments;
  private readonly taskDefinitions: TaskDefinitions;
  private readonly waiting: Waiting;
  private readonly holdMinutes: number;
  /** Pauses this instance answered: a read can still show one awaiting action right after. */
  private readonly answered = new Set<string>();

  constructor(options: EcsNativePlatformOptions) {
    this.workload = options.workload;
    this.capabilities = options.capabilities;
    this.service = new EcsService(options.client, options.target, options.workload);
    this.deployments = new ServiceDeployments(options.client, options.target);
    this.taskDefinitions = new TaskDefinitions(options.client, options.target);
    this.waiting = {
      clock: options.clock,
      pollMs: options.pollMs ?? 10_000,
      maxWaitMs: options.maxWaitMs ?? 30 * MINUTE,
    };
    const hold = Math.round(options.capabilities.holdMs / MINUTE);
    this.holdMinutes = Math.min(Math.max(hold, 1), MAX_HOLD_MINUTES);
  }

  async current(): Promise<TrafficState> {
    return trafficOf(await this.read());
  }

  async prepare(artifact: Artifact): Promise<Revision> {
    const { stable, target } = await this.read();
    return this.taskDefinitions.stage(artifact, target ? [stable, target] : [stable]);
  }

  /** Starts the deployment for the first step, or continues the paused one by exactly one step. */
  async shift(revision: Revision, weight: number): Promise<void> {
    checkWeight(weight, this.capabilities);
    const state = await this.read();
    const arn = await this.deploymentFor(state, revision, weight);
    await this.advance(revision, arn, weight, { oneStep: true });
  }

  /** Continues the deployment past every remaining pause until all production traffic is on `revision`. */
  async promote(revision: Revision): Promise<void> {
    const state = await this.read();
    const { deployment, target, stable } = state;
    if (!deployment && stable.ref === revision.ref) return;
    if (!deployment || deployment.rollingBack || target?.ref !== revision.ref) {
      throw new Error(
        `cannot promote ${revision.version} on ${this.service.where}: it is neither stable (${stable.version}) nor being deployed (${target ? `${target.version}, ${deployment?.status}` : 'no deployment in flight'})`,
      );
    }
    await this.advance(revision, deployment.arn, 100, { oneStep: false });
  }

  /**
   * Returns all traffic to the revision stable before the deployment in flight (or to `to`): the paused
   * deployment is answered with ROLLBACK, one mid-step is stopped with ROLLBACK; if it finished already,
   * the revision is deployed again, continuing each of its pauses at once.
   */
  async rollback(to?: Revision): Promise<void> {
    const state = await this.read();
    const goal = to ?? state.stable;
    const { deployment } = state;
    if (deployment) {
      if (!deployment.rollingBack) await this.abort(deployment);
      await this.waitRolledBack(deployment.arn);
    }
    const after = deployment ? await this.read() : state;
    const traffic = trafficOf(after);
    if (traffic.stable.ref !== goal.ref || traffic.canaryWeight > 0) await this.restore(goal);
  }

  private read(): Promise<NativeState> {
    const { service, deployments, taskDefinitions } = this;
    return readNative({ service, deployments, taskDefinitions });
  }

  /** The deployment of `revision` in flight, or a new one started for its first step. */
  private async deploymentFor(state: NativeState, revision: Revision, weight: number): Promise<string> {
    const { deployment, target, stable, service } = state;
    const where = this.service.where;
    if (deployment && target?.ref === revision.ref && !deployment.rollingBack) {
      checkNextWeight(this.scheduleOf(state, deployment), deployment.weight, weight, where);
      return deployment.arn;
    }
    if (deployment) {
      throw new Error(
        `${where} has a deployment of ${target?.version ?? 'another revision'} in flight (${deployment.status}); roll it back, or wait for ECS to finish rolling it back, before shifting ${revision.version}`,
      );
    }
    if (stable.ref === revision.ref)
      throw new Error(`cannot shift traffic to ${revision.version}: it is already stable on ${where}`);
    checkNextWeight(scheduleOf(service.deploymentConfiguration, where), 0, weight, where);
    return this.start(revision, state);
  }

  /** UpdateService with the revision and the release's deployment configuration; the new deployment's ARN. */
  private async start(revision: Revision, state: NativeState): Promise<string> {
    const live = state.service.deploymentConfiguration;
    const schedule = scheduleOf(live, this.service.where);
    await this.service.deploy(revision.ref, releaseConfiguration(live, schedule, this.holdMinutes));
    return waitFor(this.waiting, `ECS starting a deployment of ${revision.version}`, async () => {
      const now = await this.read();
      if (now.deployment && now.target?.ref === revision.ref)
        return { done: true, value: now.deployment.arn };
      return { done: false, standing: `no deployment of ${revision.ref} listed yet` };
    });
  }

  /**
   * Waits until `weight`% of production traffic is on `revision`, continuing Tollgate's pauses on the way:
   * one (which must lead to `weight`) when `oneStep`, else each one until 100%.
   */
  private advance(
    revision: Revision,
    arn: string,
    weight: number,
    { oneStep }: { oneStep: boolean },
  ): Promise<void> {
    return waitFor(this.waiting, `${weight}% of ${this.service.where} on ${revision.version}`, async () => {
      const state = await this.read();
      const { deployment, stable } = state;
      if (!deployment || deployment.arn !== arn) {
        if (weight >= 100 && !deployment && stable.ref === revision.ref) return done();
        throw await this.ended(arn, revision);
      }
      if (deployment.rollingBack) throw rollingBack(deployment, revision);
      if (deployment.weight >= weight - 1e-6) return done();
      const hook = deployment.pausedAt;
      if (hook && !this.answered.has(hook)) {
        if (oneStep)
          checkNextWeight(this.scheduleOf(state, deployment), deployment.weight, weight, this.service.where);
        await this.deployments.answer(deployment, hook, 'CONTINUE');
        this.answered.add(hook);
      }
      return notYet(deployment);
    });
  }

  private async abort(deployment: ServiceDeploymentView): Promise<void> {
    const hook = deployment.pausedAt;
    if (hook && !this.answered.has(hook)) {
      await this.deployments.answer(deployment, hook, 'ROLLBACK');
      this.answered.add(hook);
    } else {
      await this.deployments.stop(deployment);
    }
  }

  /** Until ECS has returned production traffic to the source (its rollback then scales the target down). */
  private async waitRolledBack(arn: string): Promise<void> {
    await waitFor(this.waiting, `ECS rolling back deployment ${arn}`, async (): Promise<Look<void>> => {
      const { deployment } = await this.read();
      if (deployment?.arn === arn) {
        return deployment.rollingBack && deployment.weight <= 0 ? done() : notYet(deployment);
      }
      const ended = await this.deployments.describe(arn);
      if (ended.status === 'ROLLBACK_FAILED')
        throw new Error(`ECS could not roll back deployment ${arn}: ${ended.reason ?? 'no reason given'}`);
      return done();
    });
  }

  /** Deploys `goal` again once nothing is in flight, continuing each of its pauses at once. */
  private async restore(goal: Revision): Promise<void> {
    const idle = await waitFor(this.waiting, `the end of the deployment in flight`, async () => {
      const state = await this.read();
      return state.deployment ? notYet(state.deployment) : { done: true as const, value: state };
    });
    if (idle.stable.ref === goal.ref) return;
    const arn = await this.start(goal, idle);
    await this.advance(goal, arn, 100, { oneStep: false });
  }

  private async ended(arn: string, revision: Revision): Promise<Error> {
    const ended = await this.deployments.describe(arn);
    return new Error(
      `ECS deployment ${arn} of ${revision.version} ended ${ended.status}: ${ended.reason ?? 'no reason given'}`,
    );
  }

  /** The schedule the deployment runs: its own configuration, else the service's. */
  private scheduleOf(state: NativeState, deployment: ServiceDeploymentView): NativeSchedule {
    const configuration = deployment.configuration ?? state.service.deploymentConfiguration;
    return scheduleOf(configuration, this.service.where);
  }
}

function done(): Look<void> {
  return { done: true, value: undefined };
}

function notYet(deployment: ServiceDeploymentView): Look<never> {
  const paused = deployment.pausedAt ? ', paused for Tollgate' : '';
  return {
    done: false,
    standing: `deployment ${deployment.arn} is ${deployment.status} at ${deployment.stage ?? 'an unreported stage'}${paused}, ${deployment.weight}% of production traffic on its target`,
  };
}

function rollingBack(deployment: ServiceDeploymentView, revision: Revision): Error {
  return new Error(
    `ECS is rolling back deployment ${deployment.arn} of ${revision.version} (${deployment.status}): ${deployment.reason ?? 'no reason given'}`,
  );
}
