import {
  CodeDeployClient,
  CreateDeploymentCommand,
  type CreateDeploymentCommandInput,
  DeploymentAlreadyCompletedException,
  DeploymentDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  DeploymentLimitExceededException,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  InvalidRevisionException,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { TrafficChange } from '../../../src/platforms/memory-state';
import type { EcsTarget } from '../../../src/targets/manifest';
import type { VirtualClock } from '../../../src/time/clock';
import { modelled } from '../../aws/validated-mock';
import { CODEDEPLOY_SDK, ecsModelled } from './ecs-model';
import { type BlueGreenTiming, FakeBlueGreenDeployment, type TaskSet } from './fake-blue-green-deployment';
import { deploymentInfoOf, targetOf } from './fake-codedeploy-target';
import { FakeDeploymentConfigs } from './fake-deployment-configs';
import { Refusals } from './fake-refusals';
import { ACCOUNT, FakeTaskDefinitions, liveRegistration, REGION } from './fake-task-definitions';

export interface FakeCodeDeployOptions {
  clock: VirtualClock;
  target: EcsTarget;
  stableVersion: string;
  timing?: Partial<BlueGreenTiming>;
  /** `group`: the CodeDeploy deployment group is missing; `service`: the ECS service is. */
  missing?: 'group' | 'service';
}

/**
 * ECS and CodeDeploy in memory for one service with the CODE_DEPLOY controller: its task sets and task
 * definitions (ECS), and its deployment group's deployments and deployment configurations (CodeDeploy).
 * Every response is checked against the API model. `history` is the production traffic split over time.
 */
export class FakeCodeDeploy {
  readonly ecs = new ECSClient({ region: REGION, maxAttempts: 1 });
  readonly codeDeploy = new CodeDeployClient({ region: REGION, maxAttempts: 1 });
  readonly ecsStub = mockClient(this.ecs);
  readonly codeDeployStub = mockClient(this.codeDeploy);
  readonly refusals = new Refusals();
  readonly taskDefinitions: FakeTaskDefinitions;
  readonly history: TrafficChange[] = [];
  readonly deployments: FakeBlueGreenDeployment[] = [];
  private taskSets: TaskSet[];
  private readonly configs = new FakeDeploymentConfigs();
  private readonly serviceArn: string;

  constructor(private readonly options: FakeCodeDeployOptions) {
    const { clock, target, stableVersion } = options;
    this.serviceArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${target.clusterName}/${target.serviceName}`;
    this.taskDefinitions = new FakeTaskDefinitions(() => clock.now(), this.refusals);
    const image = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${target.containerName}@sha256:${'1'.repeat(64)}`;
    const live = this.taskDefinitions.add(
      liveRegistration(target.taskFamily, target.containerName, image, stableVersion),
    );
    this.taskSets = [
      { id: 'ecs-svc/0000000000000000001', taskDefinition: live, status: 'PRIMARY', createdAt: 0 },
    ];
    this.history.push({ at: clock.now(), stable: stableVersion, weight: 0 });
    this.install();
  }

  shareAt(version: string, at: number): number {
    const change = this.history.findLast((entry) => entry.at <= at) ?? this.history[0];
    if (!change) return 0;
    const canary = change.weight / 100;
    return (change.stable === version ? 1 - canary : 0) + (change.canary === version ? canary : 0);
  }

  /** The deployment in flight, for tests that make CodeDeploy roll it back by itself (an alarm). */
  active(): FakeBlueGreenDeployment | undefined {
    return this.deployments.find((deployment) => deployment.active);
  }

  /** The task definitions the service's task sets run, PRIMARY first. */
  runningTaskSets(): TaskSet[] {
    return [...this.taskSets].sort((a, b) => (a.status === 'PRIMARY' ? -1 : b.status === 'PRIMARY' ? 1 : 0));
  }

  private install(): void {
    this.taskDefinitions.install(this.ecsStub);
    this.ecsStub
      .on(DescribeServicesCommand)
      .callsFake(() => this.guard('DescribeServices', () => this.service()));
    const on = this.codeDeployStub;
    on.on(CreateDeploymentCommand).callsFake((input) =>
      this.guard('CreateDeployment', () => this.create(input)),
    );
    on.on(GetDeploymentCommand).callsFake((input) =>
      this.guard('GetDeployment', () => this.get(input.deploymentId)),
    );
    on.on(ListDeploymentsCommand).callsFake((input) =>
      this.guard('ListDeployments', () => {
        this.group(input.deploymentGroupName);
        const ids = this.deployments
          .filter((d) => !input.includeOnlyStatuses || input.includeOnlyStatuses.includes(d.status))
          .map((d) => d.id);
        return modelled(CODEDEPLOY_SDK, 'ListDeployments', { deployments: ids });
      }),
    );
    on.on(ListDeploymentTargetsCommand).callsFake((input) =>
      this.guard('ListDeploymentTargets', () => {
        this.find(input.deploymentId);
        const targetIds = [`${this.options.target.clusterName}:${this.options.target.serviceName}`];
        return modelled(CODEDEPLOY_SDK, 'ListDeploymentTargets', { targetIds });
      }),
    );
    on.on(GetDeploymentTargetCommand).callsFake((input) =>
      this.guard('GetDeploymentTarget', () => {
        const deployment = this.find(input.deploymentId);
        const deploymentTarget = targetOf(deployment, input.targetId ?? '', this.serviceArn);
        return modelled(CODEDEPLOY_SDK, 'GetDeploymentTarget', { deploymentTarget });
      }),
    );
    on.on(StopDeploymentCommand).callsFake((input) =>
      this.guard('StopDeployment', () => {
        const deployment = this.find(input.deploymentId);
        if (!deployment.active)
          throw new DeploymentAlreadyCompletedException({ message: 'already completed', $metadata: {} });
        deployment.stop('Stopped', { code: 'MANUAL_STOP', message: 'The deployment was stopped by a user.' });
        return modelled(CODEDEPLOY_SDK, 'StopDeployment', { status: 'Succeeded', statusMessage: 'stopped' });
      }),
    );
    on.on(GetDeploymentGroupCommand).callsFake((input) =>
      this.guard('GetDeploymentGroup', () => this.deploymentGroup(input.deploymentGroupName)),
    );
    this.configs.install(on, this.refusals);
  }

  private guard<T>(operation: string, answer: () => T): T {
    this.refusals.check(operation);
    return answer();
  }

  private service() {
    const { target, missing } = this.options;
    if (missing === 'service')
      return ecsModelled('DescribeServices', {
        services: [],
        failures: [{ arn: this.serviceArn, reason: 'MISSING' }],
      });
    const primary = this.taskSets.find((set) => set.status === 'PRIMARY');
    const taskSets = this.taskSets.map((set) => ({
      id: set.id,
      taskSetArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-set/${target.clusterName}/${target.serviceName}/${set.id}`,
      serviceArn: this.serviceArn,
      status: set.status,
      taskDefinition: set.taskDefinition,
      ...(set.externalId ? { externalId: set.externalId } : {}),
      launchType: 'FARGATE' as const,
      scale: { value: 100, unit: 'PERCENT' as const },
      stabilityStatus: 'STEADY_STATE' as const,
      createdAt: new Date(set.createdAt),
    }));
    return ecsModelled('DescribeServices', {
      services: [
        {
          serviceArn: this.serviceArn,
          serviceName: target.serviceName,
          status: 'ACTIVE',
          desiredCount: 2,
          runningCount: 2,
          ...(primary ? { taskDefinition: primary.taskDefinition } : {}),
          deploymentController: { type: 'CODE_DEPLOY' as const },
          taskSets,
        },
      ],
      failures: [],
    });
  }

  private create(input: CreateDeploymentCommandInput) {
    this.group(input.deploymentGroupName);
    if (this.active())
      throw new DeploymentLimitExceededException({
        message: 'the group already has an active deployment',
        $metadata: {},
      });
    const content = input.revision?.appSpecContent?.content ?? '';
    const taskDefinition = JSON.parse(content).Resources?.[0]?.TargetService?.Properties?.TaskDefinition;
    if (typeof taskDefinition !== 'string' || !this.taskDefinitions.has(taskDefinition))
      throw new InvalidRevisionException({
        message: `task definition ${taskDefinition} not found`,
        $metadata: {},
      });
    const config = input.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce';
    const routing = this.configs.routing(config);
    const id = `d-${String(this.deployments.length + 1).padStart(9, 'A')}`;
    const blue = this.taskSets.find((set) => set.status === 'PRIMARY') as TaskSet;
    const green: TaskSet = {
      id: `ecs-svc/${String(this.deployments.length + 2).padStart(19, '0')}`,
      taskDefinition,
      status: 'ACTIVE',
      externalId: id,
      createdAt: this.options.clock.now(),
    };
    this.taskSets.push(green);
    const timing = { installMs: 0, terminationWaitMs: 5 * 60_000, ...this.options.timing };
    const events = {
      shifted: (d: FakeBlueGreenDeployment) => this.record(d),
      swapped: (d: FakeBlueGreenDeployment) => {
        d.blue.status = 'ACTIVE';
        d.green.status = 'PRIMARY';
      },
      blueDeleted: (d: FakeBlueGreenDeployment) => {
        this.taskSets = this.taskSets.filter((set) => set !== d.blue);
      },
      rolledBack: (d: FakeBlueGreenDeployment) => {
        d.blue.status = 'PRIMARY';
        this.taskSets = this.taskSets.filter((set) => set !== d.green);
        this.record(d);
      },
    };
    const { clock } = this.options;
    const spec = { content, sha256: input.revision?.appSpecContent?.sha256 ?? '' };
    const deployment = new FakeBlueGreenDeployment(
      id,
      config,
      spec,
      input.description,
      blue,
      green,
      routing,
      clock,
      timing,
      events,
    );
    this.deployments.push(deployment);
    return modelled(CODEDEPLOY_SDK, 'CreateDeployment', { deploymentId: id });
  }

  private get(id: string | undefined) {
    const deploymentInfo = deploymentInfoOf(this.find(id), this.options.target);
    return modelled(CODEDEPLOY_SDK, 'GetDeployment', { deploymentInfo });
  }

  private deploymentGroup(name: string | undefined) {
    this.group(name);
    const last = this.deployments.at(-1);
    const { target } = this.options;
    return modelled(CODEDEPLOY_SDK, 'GetDeploymentGroup', {
      deploymentGroupInfo: {
        applicationName: target.codeDeploy?.application,
        deploymentGroupName: name,
        deploymentConfigName: target.codeDeploy?.deploymentConfig,
        computePlatform: 'ECS',
        ecsServices: [{ serviceName: target.serviceName, clusterName: target.clusterName }],
        ...(last
          ? {
              lastAttemptedDeployment: {
                deploymentId: last.id,
                status: last.status,
                createTime: new Date(last.createTime),
                ...(last.completeTime ? { endTime: new Date(last.completeTime) } : {}),
              },
            }
          : {}),
      },
    });
  }

  private group(name: string | undefined): void {
    if (this.options.missing === 'group' || name !== this.options.target.codeDeploy?.deploymentGroup)
      throw new DeploymentGroupDoesNotExistException({ message: `${name} does not exist`, $metadata: {} });
  }

  private find(id: string | undefined): FakeBlueGreenDeployment {
    const deployment = this.deployments.find((candidate) => candidate.id === id);
    if (!deployment)
      throw new DeploymentDoesNotExistException({ message: `${id} does not exist`, $metadata: {} });
    return deployment;
  }

  private record(d: FakeBlueGreenDeployment): void {
    const version = (arn: string) => this.taskDefinitions.releaseOf(arn, this.options.target.containerName);
    const at = this.options.clock.now();
    const [stable, canary] = [version(d.blue.taskDefinition), version(d.green.taskDefinition)];
    if (d.weight >= 100) this.history.push({ at, stable: canary, weight: 0 });
    else if (d.weight > 0) this.history.push({ at, stable, canary, weight: d.weight });
    else this.history.push({ at, stable, weight: 0 });
  }
}
