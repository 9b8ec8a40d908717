import {
  ApplicationDoesNotExistException,
  type CodeDeployClient,
  type CodeDeployClientResolvedConfig,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  type CreateDeploymentConfigInput,
  type CreateDeploymentInput,
  DeploymentAlreadyCompletedException,
  DeploymentDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  DeploymentLimitExceededException,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  type ListDeploymentsInput,
  ListDeploymentTargetsCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  StopDeploymentCommand,
  type StopDeploymentInput,
} from '@aws-sdk/client-codedeploy';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { modelled } from '../../aws/validated-mock';
import { lambdaAppSpecOf } from './fake-appspec';
import { deploymentInfo, type FakeDeployment, isActive, lambdaTarget, schedule } from './fake-deployment';
import { FakeDeploymentConfigs } from './fake-deployment-configs';
import { DeploymentRunner } from './fake-deployment-runner';
import type { FakeLambda } from './fake-lambda';

const SDK = '@aws-sdk/client-codedeploy';

export type CodeDeployStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, CodeDeployClientResolvedConfig>;

export type CodeDeployOperation =
  | 'CreateDeployment'
  | 'GetDeployment'
  | 'ListDeployments'
  | 'ListDeploymentTargets'
  | 'GetDeploymentTarget'
  | 'StopDeployment'
  | 'GetDeploymentConfig'
  | 'CreateDeploymentConfig'
  | 'GetDeploymentGroup';

export interface FakeCodeDeployOptions {
  lambda: FakeLambda;
  functionName: string;
  alias: string;
  functionArn: string;
  application: string;
  deploymentGroup: string;
  groupConfig: string;
  now: () => number;
  /** From CreateDeployment to AllowTraffic (BeforeAllowTraffic hooks); default 0. */
  trafficDelayMs?: number;
  /** How long a rollback CodeDeploy creates takes to put the alias back; default 4 s. */
  rollbackMs?: number;
}

/**
 * CodeDeploy for one Lambda deployment group, over a FakeLambda: a deployment moves the alias by its
 * configuration's schedule as the clock passes (applied before every request, at the times the
 * schedule fixed); stopping with rollback, or failing, creates a rollback deployment (a new id) that
 * puts the alias back on the original version after `rollbackMs`.
 */
export class FakeCodeDeploy {
  readonly deployments: FakeDeployment[] = [];
  private readonly runner: DeploymentRunner;
  private readonly configs = new FakeDeploymentConfigs();
  private readonly failures = new Map<CodeDeployOperation, Error[]>();
  private nextFailure?: FakeDeployment['failAt'];

  constructor(private readonly options: FakeCodeDeployOptions) {
    this.runner = new DeploymentRunner(
      this.deployments,
      options.lambda,
      options.now,
      options.rollbackMs ?? 4_000,
    );
  }

  client(client: CodeDeployClient): CodeDeployStub {
    const stub = mockClient(client);
    const answer =
      <I, O>(operation: CodeDeployOperation, handle: (input: I) => O) =>
      (input: I) => {
        this.catchUp();
        const failure = this.failures.get(operation)?.shift();
        if (failure) throw failure;
        return modelled(SDK, operation, handle(input));
      };
    const byId = (handle: (deployment: FakeDeployment) => object) => (input: { deploymentId?: string }) =>
      handle(this.find(input.deploymentId));
    stub
      .on(CreateDeploymentCommand)
      .callsFake(answer('CreateDeployment', (i: CreateDeploymentInput) => this.create(i)));
    stub.on(GetDeploymentCommand).callsFake(
      answer(
        'GetDeployment',
        byId((d) => ({ deploymentInfo: deploymentInfo(d, this.options) })),
      ),
    );
    stub
      .on(ListDeploymentsCommand)
      .callsFake(answer('ListDeployments', (i: ListDeploymentsInput) => this.list(i)));
    stub.on(ListDeploymentTargetsCommand).callsFake(
      answer(
        'ListDeploymentTargets',
        byId(() => ({ targetIds: [this.targetId] })),
      ),
    );
    stub.on(GetDeploymentTargetCommand).callsFake(
      answer(
        'GetDeploymentTarget',
        byId((d) => this.target(d)),
      ),
    );
    stub
      .on(StopDeploymentCommand)
      .callsFake(answer('StopDeployment', (i: StopDeploymentInput) => this.stop(i)));
    stub
      .on(GetDeploymentConfigCommand)
      .callsFake(
        answer('GetDeploymentConfig', (i: { deploymentConfigName?: string }) =>
          this.configs.get(i.deploymentConfigName),
        ),
      );
    stub
      .on(CreateDeploymentConfigCommand)
      .callsFake(
        answer('CreateDeploymentConfig', (i: CreateDeploymentConfigInput) => this.configs.create(i)),
      );
    stub
      .on(GetDeploymentGroupCommand)
      .callsFake(answer('GetDeploymentGroup', (i: ListDeploymentsInput) => this.group(i)));
    return stub;
  }

  failNext(operation: CodeDeployOperation, error: Error): void {
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), error]);
  }

  /** The next deployment fails by itself on reaching shift `shiftIndex` (a hook, a bad configuration). */
  failNextDeployment(failure: NonNullable<FakeDeployment['failAt']>): void {
    this.nextFailure = failure;
  }

  /** Applies every shift, end and rollback due by now, each at its own time. */
  catchUp(): void {
    const now = this.options.now();
    for (const deployment of this.deployments) {
      if (deployment.creator === 'codeDeployRollback') this.runner.finishRollback(deployment, now);
      else this.runner.advance(deployment, now);
    }
  }

  private get targetId(): string {
    return `${this.options.functionName}:${this.options.alias}`;
  }

  private find(id: string | undefined): FakeDeployment {
    const deployment = this.deployments.find((candidate) => candidate.id === id);
    if (!deployment) {
      throw new DeploymentDoesNotExistException({
        $metadata: { httpStatusCode: 400 },
        message: `Deployment ${id} does not exist`,
      });
    }
    return deployment;
  }

  private requireGroup(input: {
    applicationName?: string | undefined;
    deploymentGroupName?: string | undefined;
  }): void {
    const meta = { $metadata: { httpStatusCode: 400 } };
    if (input.applicationName !== this.options.application) {
      throw new ApplicationDoesNotExistException({
        ...meta,
        message: `No application found for name: ${input.applicationName}`,
      });
    }
    if (input.deploymentGroupName !== this.options.deploymentGroup) {
      throw new DeploymentGroupDoesNotExistException({
        ...meta,
        message: `No Deployment Group found for name: ${input.deploymentGroupName}`,
      });
    }
  }

  private create(input: CreateDeploymentInput): { deploymentId: string } {
    this.requireGroup(input);
    const config = input.deploymentConfigName ?? this.options.groupConfig;
    const routing = this.configs.routing(config);
    const { from, to, content } = lambdaAppSpecOf(input, this.options);
    if (this.deployments.some(isActive)) {
      throw new DeploymentLimitExceededException({
        $metadata: { httpStatusCode: 400 },
        message: `The Deployment Group '${this.options.deploymentGroup}' already has an active Deployment`,
      });
    }
    const now = this.options.now();
    const deployment = this.runner.add({
      config,
      appSpec: content,
      creator: 'user',
      fromRef: from,
      toRef: to,
      createdAt: now,
      trafficAt: now + (this.options.trafficDelayMs ?? 0),
      shifts: schedule(routing),
      ...(input.description ? { description: input.description } : {}),
      ...(this.nextFailure ? { failAt: this.nextFailure } : {}),
    });
    delete this.nextFailure;
    this.runner.advance(deployment, now);
    return { deploymentId: deployment.id };
  }

  private stop(input: StopDeploymentInput): { status: 'Pending' | 'Succeeded'; statusMessage: string } {
    const deployment = this.find(input.deploymentId);
    if (!isActive(deployment)) {
      throw new DeploymentAlreadyCompletedException({
        $metadata: { httpStatusCode: 400 },
        message: `Deployment ${deployment.id} has already completed`,
      });
    }
    const now = this.options.now();
    this.runner.end(deployment, 'Stopped', now, {
      code: 'MANUAL_STOP',
      message: 'The deployment was stopped by a user',
    });
    if (!input.autoRollbackEnabled) return { status: 'Succeeded', statusMessage: 'Stopped' };
    this.runner.rollBack(deployment, now);
    return { status: 'Pending', statusMessage: 'Stopping Pending. Stopping to deploy a new revision' };
  }

  private target(deployment: FakeDeployment): object {
    const fn = {
      functionName: this.options.functionName,
      alias: this.options.alias,
      arn: this.options.functionArn,
    };
    return {
      deploymentTarget: {
        deploymentTargetType: 'LambdaTarget',
        lambdaTarget: lambdaTarget(deployment, fn, this.options.now()),
      },
    };
  }

  private list(input: ListDeploymentsInput): { deployments: string[] } {
    this.requireGroup(input);
    const wanted = input.includeOnlyStatuses;
    const matching = this.deployments.filter((deployment) => !wanted || wanted.includes(deployment.status));
    return { deployments: matching.map((deployment) => deployment.id).reverse() };
  }

  private group(input: ListDeploymentsInput): object {
    this.requireGroup(input);
    const last = this.deployments.at(-1);
    const lastInfo = last && {
      deploymentId: last.id,
      status: last.status,
      createTime: new Date(last.createdAt),
      ...(last.endedAt === undefined ? {} : { endTime: new Date(last.endedAt) }),
    };
    return {
      deploymentGroupInfo: {
        applicationName: this.options.application,
        deploymentGroupId: 'group-0001',
        deploymentGroupName: this.options.deploymentGroup,
        deploymentConfigName: this.options.groupConfig,
        computePlatform: 'Lambda',
        ...(lastInfo ? { lastAttemptedDeployment: lastInfo } : {}),
      },
    };
  }
}
