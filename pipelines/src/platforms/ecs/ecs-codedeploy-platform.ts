import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Step, Strategy } from '../../plan/shape';
import type { Capabilities } from '../../targets/capabilities';
import type { EcsTarget } from '../../targets/manifest';
import type { Clock } from '../../time/clock';
import { ecsAppSpec } from '../codedeploy/appspec';
import { deploymentConfigFor } from '../codedeploy/deployment-config';
import { ACTIVE_STATUSES, CodeDeployDeployments, type CodeDeployGroup } from '../codedeploy/deployments';
import { deploymentStatus } from '../codedeploy/progress';
import type { Artifact, DeploymentStatus, PlatformDrivenPlatform, Revision, TrafficState } from '../port';
import {
  type CodeDeployParts,
  type CodeDeployState,
  greenWeightOf,
  readCodeDeploy,
} from './codedeploy-state';
import { EcsService } from './ecs-service';
import { TaskDefinitions } from './task-definitions';
import { type Waiting, waitFor } from './wait-for';

export interface EcsCodeDeployPlatformOptions {
  workload: string;
  target: EcsTarget;
  capabilities: Capabilities;
  clients: { ecs: ECSClient; codeDeploy: CodeDeployClient };
  clock: Clock;
  /** The policy's strategy (its shape, and the CodeDeploy configuration it names) and the steps it plans. */
  strategy: Strategy;
  steps: readonly Step[];
  /** Between reads while a rollback waits for CodeDeploy (default 10 s). */
  pollMs?: number;
  /** How long a rollback waits for CodeDeploy before it gives up (default 30 min). */
  maxWaitMs?: number;
}

const MINUTE = 60_000;
/** A finished release rolled back by deploying the old revision again, all at once. */
const RESTORE_CONFIG = 'CodeDeployDefault.ECSAllAtOnce';

/**
 * An ECS service with the CODE_DEPLOY deployment controller. A release registers the new task definition
 * (prepare) and creates one CodeDeploy deployment with the ECS AppSpec (task definition, container name and
 * port) and the deployment configuration of the policy's shape; CodeDeploy then creates the green task set
 * and moves production traffic on its own schedule. Tollgate reads the task sets' weights, and a rollback
 * stops the deployment with CodeDeploy's rollback (traffic back to the blue task set).
 */
export class EcsCodeDeployPlatform implements PlatformDrivenPlatform {
  readonly driver = 'platform';
  readonly workload: string;
  readonly capabilities: Capabilities;
  private readonly parts: CodeDeployParts;
  private readonly target: EcsTarget;
  private readonly strategy: Strategy;
  private readonly waiting: Waiting;

  constructor(options: EcsCodeDeployPlatformOptions) {
    const { target, clients } = options;
    if (!target.codeDeploy) {
      throw new Error(
        `ECS service ${target.serviceName} has no CodeDeploy deployment group in the release manifest`,
      );
    }
    const group: CodeDeployGroup = target.codeDeploy;
    this.workload = options.workload;
    this.capabilities = options.capabilities;
    this.target = target;
    this.strategy = options.strategy;
    this.parts = {
      workload: options.workload,
      service: new EcsService(clients.ecs, target, options.workload),
      deployments: new CodeDeployDeployments(clients.codeDeploy, group),
      group,
      codeDeploy: clients.codeDeploy,
      taskDefinitions: new TaskDefinitions(clients.ecs, target),
      steps: options.steps,
    };
    this.waiting = {
      clock: options.clock,
      pollMs: options.pollMs ?? 10_000,
      maxWaitMs: options.maxWaitMs ?? 30 * MINUTE,
    };
  }

  async current(): Promise<TrafficState> {
    return (await this.read()).traffic;
  }

  async prepare(artifact: Artifact): Promise<Revision> {
    const state = await this.read();
    const known = [state.traffic.stable, ...(state.active && state.revision ? [state.revision] : [])];
    return this.parts.taskDefinitions.stage(artifact, known);
  }

  /** CreateDeployment of the revision; the deployment of it already in flight if there is one. */
  async start(revision: Revision, steps: readonly Step[]): Promise<DeploymentStatus> {
    const state = await this.read();
    const running = state.traffic.deployment;
    if (state.active && running) {
      if (running.revision.ref === revision.ref) return running;
      throw new Error(
        `CodeDeploy deployment ${running.id} of ${running.revision.version} is in flight on ${this.groupName}; roll it back before releasing ${revision.version}`,
      );
    }
    if (state.traffic.stable.ref === revision.ref)
      throw new Error(`${revision.version} is already stable on ${this.parts.service.where}`);
    const config = await deploymentConfigFor(
      this.parts.codeDeploy,
      'ECS',
      this.strategy.shape,
      this.strategy.codeDeployConfig,
    );
    const id = await this.parts.deployments.start(
      this.appSpec(revision),
      config,
      `Tollgate release ${revision.version}`,
    );
    const run = await this.parts.deployments.read(id);
    return deploymentStatus(run, revision, steps, greenWeightOf(run));
  }

  /** CodeDeploy makes the revision stable when its schedule ends; this only confirms it did. */
  async promote(revision: Revision): Promise<void> {
    const { traffic, run } = await this.read();
    const deployment = traffic.deployment;
    if (deployment?.state === 'running') {
      throw new Error(
        `CodeDeploy deployment ${deployment.id} of ${deployment.revision.version} is still shifting traffic on ${this.groupName}; it makes the revision stable when its schedule ends`,
      );
    }
    if (traffic.stable.ref === revision.ref) return;
    const last = run ? `; its last deployment ${run.id} ended ${run.status}: ${run.error ?? 'no error'}` : '';
    throw new Error(
      `cannot confirm ${revision.version} as stable on ${this.parts.service.where}: ${traffic.stable.version} is${last}`,
    );
  }

  /**
   * Stops the deployment in flight with CodeDeploy's rollback and waits until it has ended; if the release
   * had already finished (or `to` is not what the service returned to), deploys `to` again all at once.
   */
  async rollback(to?: Revision): Promise<void> {
    const state = await this.read();
    const goal = to ?? state.original;
    if (state.active && state.run) {
      await this.parts.deployments.stop(state.run.id);
      await this.waitEnded(state.run.id);
    }
    const after = state.active ? await this.read() : state;
    if (after.traffic.stable.ref !== goal.ref || after.traffic.canaryWeight > 0) await this.restore(goal);
  }

  private read(): Promise<CodeDeployState> {
    return readCodeDeploy(this.parts);
  }

  private get groupName(): string {
    return `CodeDeploy deployment group ${this.parts.group.deploymentGroup}`;
  }

  private appSpec(revision: Revision): string {
    const { containerName, containerPort } = this.target;
    return ecsAppSpec({ taskDefinitionArn: revision.ref, containerName, containerPort });
  }

  private waitEnded(id: string): Promise<string> {
    return waitFor(this.waiting, `CodeDeploy ending deployment ${id}`, async () => {
      const run = await this.parts.deployments.read(id);
      if (!ACTIVE_STATUSES.includes(run.status)) return { done: true, value: run.status };
      return { done: false, standing: `deployment ${id} is ${run.status}, ${greenWeightOf(run)}% on green` };
    });
  }

  /** A new all-at-once deployment of `goal`, followed until all traffic is on it. */
  private async restore(goal: Revision): Promise<void> {
    const id = await this.parts.deployments.start(
      this.appSpec(goal),
      RESTORE_CONFIG,
      `Tollgate rollback to ${goal.version}`,
    );
    await waitFor(this.waiting, `CodeDeploy deploying ${goal.version} again`, async () => {
      const run = await this.parts.deployments.read(id);
      if (run.status === 'Succeeded' || run.status === 'Baking') return { done: true, value: undefined };
      if (!ACTIVE_STATUSES.includes(run.status)) {
        throw new Error(
          `CodeDeploy deployment ${id} of ${goal.version} ended ${run.status}: ${run.error ?? 'no error'}`,
        );
      }
      return { done: false, standing: `deployment ${id} is ${run.status}, ${greenWeightOf(run)}% on green` };
    });
  }
}
