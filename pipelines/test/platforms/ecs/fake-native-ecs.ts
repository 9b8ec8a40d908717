import {
  ClientException,
  ClusterNotFoundException,
  ContinueServiceDeploymentCommand,
  type DeploymentConfiguration,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ECSClient,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  ServiceDeploymentNotFoundException,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { TrafficChange } from '../../../src/platforms/memory-state';
import type { EcsTarget } from '../../../src/targets/manifest';
import type { VirtualClock } from '../../../src/time/clock';
import { ecsModelled } from './ecs-model';
import { Refusals } from './fake-refusals';
import { type DeploymentTiming, FakeServiceDeployment } from './fake-service-deployment';
import { briefOf, detailOf } from './fake-service-deployment-views';
import { ACCOUNT, FakeTaskDefinitions, liveRegistration, REGION } from './fake-task-definitions';
import { checkDeploymentConfiguration } from './native-config-rules';

export interface FakeNativeEcsOptions {
  clock: VirtualClock;
  target: EcsTarget;
  stableVersion: string;
  /** The service's deployment configuration as the infra created it. */
  configuration: DeploymentConfiguration;
  timing?: Partial<DeploymentTiming>;
  exists?: boolean;
}

const TIMING: DeploymentTiming = {
  scaleUpMs: 2 * 60_000,
  shiftMs: 10_000,
  rollbackShiftMs: 5_000,
  drainMs: 60_000,
  cleanUpMs: 30_000,
};

/**
 * ECS in memory for one service with the ECS deployment controller: DescribeServices, UpdateService (which
 * starts a FakeServiceDeployment), the service-deployment APIs and task definitions. Every response is
 * checked against the ECS API model. `history` is the production traffic split over virtual time.
 */
export class FakeNativeEcs {
  readonly client = new ECSClient({ region: REGION, maxAttempts: 1 });
  readonly stub = mockClient(this.client);
  readonly refusals = new Refusals();
  readonly taskDefinitions: FakeTaskDefinitions;
  readonly history: TrafficChange[] = [];
  readonly liveImage: string;
  /** The next deployment's tasks fail their health checks, and the circuit breaker rolls it back. */
  failHealthChecks = false;
  private taskDefinition: string;
  private revision: string;
  private configuration: DeploymentConfiguration;
  private readonly deployments: FakeServiceDeployment[] = [];
  private readonly revisions = new Map<string, { taskDefinition: string; createdAt: number }>();
  private readonly clusterArn: string;
  private readonly serviceArn: string;

  constructor(private readonly options: FakeNativeEcsOptions) {
    const { clock, target } = options;
    this.clusterArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${target.clusterName}`;
    this.serviceArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${target.clusterName}/${target.serviceName}`;
    this.taskDefinitions = new FakeTaskDefinitions(() => clock.now(), this.refusals);
    this.liveImage = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${target.containerName}@sha256:${'1'.repeat(64)}`;
    const registration = liveRegistration(
      target.taskFamily,
      target.containerName,
      this.liveImage,
      options.stableVersion,
    );
    this.taskDefinition = this.taskDefinitions.add(registration);
    this.revision = this.newRevision(this.taskDefinition);
    this.configuration = structuredClone(options.configuration);
    this.record({ at: clock.now(), stable: options.stableVersion, weight: 0 });
    this.install();
  }

  /** Share (0..1) of production traffic `version` had at `at`, for synthetic traces. */
  shareAt(version: string, at: number): number {
    const change = this.history.findLast((entry) => entry.at <= at) ?? this.history[0];
    if (!change) return 0;
    const canary = change.weight / 100;
    return (change.stable === version ? 1 - canary : 0) + (change.canary === version ? canary : 0);
  }

  /** The deployment in flight, for tests that act on it (an alarm that makes ECS roll back). */
  inFlight(): FakeServiceDeployment | undefined {
    return this.deployments.find((deployment) => deployment.inFlight);
  }

  /** The service's deployment configuration now (UpdateService replaces it). */
  serviceConfiguration(): DeploymentConfiguration {
    return structuredClone(this.configuration);
  }

  /** The service's task definition now. */
  serviceTaskDefinition(): string {
    return this.taskDefinition;
  }

  private install(): void {
    const { stub } = this;
    this.taskDefinitions.install(stub);
    stub.on(DescribeServicesCommand).callsFake(() => this.guard('DescribeServices', () => this.describe()));
    stub.on(UpdateServiceCommand).callsFake((input) => this.guard('UpdateService', () => this.update(input)));
    stub
      .on(ListServiceDeploymentsCommand)
      .callsFake((input) => this.guard('ListServiceDeployments', () => this.list(input.status)));
    stub
      .on(DescribeServiceDeploymentsCommand)
      .callsFake((input) =>
        this.guard('DescribeServiceDeployments', () => this.details(input.serviceDeploymentArns ?? [])),
      );
    stub
      .on(DescribeServiceRevisionsCommand)
      .callsFake((input) =>
        this.guard('DescribeServiceRevisions', () => this.serviceRevisions(input.serviceRevisionArns ?? [])),
      );
    stub.on(ContinueServiceDeploymentCommand).callsFake((input) =>
      this.guard('ContinueServiceDeployment', () => {
        const deployment = this.find(input.serviceDeploymentArn);
        if (!deployment.answer(input.hookId ?? '', input.action ?? 'CONTINUE'))
          throw new InvalidParameterException({
            message: `hook ${input.hookId} is not awaiting action`,
            $metadata: {},
          });
        return ecsModelled('ContinueServiceDeployment', { serviceDeploymentArn: deployment.arn });
      }),
    );
    stub.on(StopServiceDeploymentCommand).callsFake((input) =>
      this.guard('StopServiceDeployment', () => {
        const deployment = this.find(input.serviceDeploymentArn);
        if (!deployment.inFlight)
          throw new ClientException({
            message: 'The service deployment has already finished.',
            $metadata: {},
          });
        deployment.rollBack('Stopped with ROLLBACK by StopServiceDeployment.');
        return ecsModelled('StopServiceDeployment', { serviceDeploymentArn: deployment.arn });
      }),
    );
  }

  private guard<T>(operation: string, answer: () => T): T {
    this.refusals.check(operation);
    return answer();
  }

  private describe() {
    const { target, exists } = this.options;
    if (exists === false) {
      return ecsModelled('DescribeServices', {
        services: [],
        failures: [{ arn: this.serviceArn, reason: 'MISSING' }],
      });
    }
    const latest = this.deployments.at(-1);
    return ecsModelled('DescribeServices', {
      services: [
        {
          serviceArn: this.serviceArn,
          serviceName: target.serviceName,
          clusterArn: this.clusterArn,
          status: 'ACTIVE',
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
          launchType: 'FARGATE' as const,
          taskDefinition: this.taskDefinition,
          deploymentConfiguration: structuredClone(this.configuration),
          deploymentController: { type: 'ECS' as const },
          ...(latest ? { currentServiceDeployment: latest.arn } : {}),
          createdAt: new Date(0),
        },
      ],
      failures: [],
    });
  }

  private update(input: UpdateServiceCommandInput) {
    if (this.options.exists === false)
      throw new ClusterNotFoundException({ message: 'Service not found.', $metadata: {} });
    if (this.inFlight()) throw new Error('the fake does not model a deployment started over one in flight');
    const taskDefinition = input.taskDefinition ?? this.taskDefinition;
    if (!this.taskDefinitions.has(taskDefinition))
      throw new InvalidParameterException({ message: 'TaskDefinition not found.', $metadata: {} });
    if (input.deploymentConfiguration) {
      checkDeploymentConfiguration(input.deploymentConfiguration);
      this.configuration = structuredClone(input.deploymentConfiguration);
    }
    if (taskDefinition !== this.taskDefinition) this.start(taskDefinition);
    return ecsModelled('UpdateService', { service: this.describe().services?.[0] });
  }

  private start(taskDefinition: string): void {
    const { clock, target } = this.options;
    const id = `${this.deployments.length + 1}`.padStart(22, 'x');
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${target.clusterName}/${target.serviceName}/${id}`;
    const source = { revision: this.revision, taskDefinition: this.taskDefinition };
    const targetRevision = { revision: this.newRevision(taskDefinition), taskDefinition };
    const events = {
      shifted: (deployment: FakeServiceDeployment) => this.recordDeployment(deployment),
      reverted: (deployment: FakeServiceDeployment) => {
        this.taskDefinition = deployment.source.taskDefinition;
        this.revision = deployment.source.revision;
      },
    };
    const timing = { ...TIMING, ...this.options.timing };
    const deployment = new FakeServiceDeployment(
      arn,
      source,
      targetRevision,
      structuredClone(this.configuration),
      clock,
      timing,
      events,
      this.failHealthChecks,
    );
    this.failHealthChecks = false;
    this.deployments.push(deployment);
    this.taskDefinition = taskDefinition;
    this.revision = targetRevision.revision;
  }

  private list(statuses: readonly string[] | undefined) {
    const serviceDeployments = this.deployments
      .filter((deployment) => !statuses || statuses.includes(deployment.status))
      .map((deployment) => briefOf(deployment, this.serviceArn, this.clusterArn));
    return ecsModelled('ListServiceDeployments', { serviceDeployments });
  }

  private details(arns: readonly string[]) {
    const found = this.deployments.filter((deployment) => arns.includes(deployment.arn));
    const failures = arns
      .filter((arn) => !found.some((deployment) => deployment.arn === arn))
      .map((arn) => ({ arn, reason: 'MISSING' }));
    return ecsModelled('DescribeServiceDeployments', {
      serviceDeployments: found.map((deployment) => detailOf(deployment, this.serviceArn, this.clusterArn)),
      failures,
    });
  }

  private serviceRevisions(arns: readonly string[]) {
    const serviceRevisions = arns.flatMap((arn) => {
      const known = this.revisions.get(arn);
      if (!known) return [];
      return [
        {
          serviceRevisionArn: arn,
          serviceArn: this.serviceArn,
          clusterArn: this.clusterArn,
          taskDefinition: known.taskDefinition,
          launchType: 'FARGATE' as const,
          createdAt: new Date(known.createdAt),
        },
      ];
    });
    return ecsModelled('DescribeServiceRevisions', { serviceRevisions, failures: [] });
  }

  private find(arn: string | undefined): FakeServiceDeployment {
    const deployment = this.deployments.find((candidate) => candidate.arn === arn);
    if (!deployment)
      throw new ServiceDeploymentNotFoundException({ message: `${arn} does not exist`, $metadata: {} });
    return deployment;
  }

  private newRevision(taskDefinition: string): string {
    const { target, clock } = this.options;
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${target.clusterName}/${target.serviceName}/${this.revisions.size + 1}`;
    this.revisions.set(arn, { taskDefinition, createdAt: clock.now() });
    return arn;
  }

  private recordDeployment(deployment: FakeServiceDeployment): void {
    const version = (arn: string) => this.taskDefinitions.releaseOf(arn, this.options.target.containerName);
    const stable = version(deployment.source.taskDefinition);
    const canary = version(deployment.target.taskDefinition);
    const at = this.options.clock.now();
    if (deployment.weight >= 100) this.record({ at, stable: canary, weight: 0 });
    else if (deployment.weight > 0) this.record({ at, stable, canary, weight: deployment.weight });
    else this.record({ at, stable, weight: 0 });
  }

  private record(change: TrafficChange): void {
    this.history.push(change);
  }
}
