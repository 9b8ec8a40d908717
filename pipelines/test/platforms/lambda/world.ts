import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Strategy } from '../../../src/plan/shape';
import { LambdaAliasPlatform } from '../../../src/platforms/lambda/lambda-alias-platform';
import { LambdaCodeDeployPlatform } from '../../../src/platforms/lambda/lambda-codedeploy-platform';
import type { UpdateWait } from '../../../src/platforms/lambda/stage-version';
import type { LambdaTarget } from '../../../src/targets/manifest';
import { VirtualClock } from '../../../src/time/clock';
import { expectValidRequests, sentRequests } from '../../aws/validated-mock';
import { LAMBDA_TARGET, lambdaMethod } from '../../contract/lambda-target';
import { type CodeDeployStub, FakeCodeDeploy } from './fake-codedeploy';
import { FakeLambda, type LambdaStub } from './fake-lambda';

const LAMBDA_SDK = '@aws-sdk/client-lambda';
const CODEDEPLOY_SDK = '@aws-sdk/client-codedeploy';
const WORKLOAD = 'checkout';
/** The SDK waiter in seconds: polls every 10–20 ms, gives up after 2 s, so tests stay fast. */
const FAST_WAIT: UpdateWait = { maxWaitTime: 2, minDelay: 0.01, maxDelay: 0.02 };

type Stub = LambdaStub | CodeDeployStub;

export interface WorldOptions {
  clock?: VirtualClock;
  /** The workload's name in the release manifest; default "checkout". */
  workload?: string;
  target?: LambdaTarget;
  /** false: the function does not exist. */
  exists?: boolean;
  stableRelease?: string;
  trafficDelayMs?: number;
  rollbackMs?: number;
  /** The target names a deployment group CodeDeploy does not have. */
  missingGroup?: boolean;
}

export interface SentRequest {
  service: 'lambda' | 'codedeploy';
  operation: string;
  input: unknown;
}

/**
 * A Lambda function with its CodeDeploy deployment group, faked statefully behind aws-sdk-client-mock,
 * on a virtual clock; adapters are built over the same clients, so a second one is a crashed run's
 * successor.
 */
export class LambdaWorld {
  readonly clock: VirtualClock;
  readonly target: LambdaTarget;
  readonly lambda: FakeLambda;
  readonly codeDeploy: FakeCodeDeploy;
  readonly lambdaStub: LambdaStub;
  readonly codeDeployStub: CodeDeployStub;
  readonly workload: string;
  private readonly clients: { lambda: LambdaClient; codeDeploy: CodeDeployClient };

  constructor(options: WorldOptions = {}) {
    this.clock = options.clock ?? new VirtualClock();
    this.target = options.target ?? LAMBDA_TARGET;
    this.workload = options.workload ?? WORKLOAD;
    const now = () => this.clock.now();
    const { functionName, alias, region, account, codeDeploy } = this.target;
    this.lambda = new FakeLambda({
      functionName,
      alias,
      region,
      stableRelease: options.stableRelease ?? '1.0.0',
      now,
      ...(options.exists === false ? { exists: false } : {}),
    });
    this.codeDeploy = new FakeCodeDeploy({
      lambda: this.lambda,
      functionName,
      alias,
      functionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
      application: codeDeploy.application,
      deploymentGroup: options.missingGroup
        ? `${codeDeploy.deploymentGroup}-other`
        : codeDeploy.deploymentGroup,
      groupConfig: codeDeploy.deploymentConfig,
      now,
      ...(options.trafficDelayMs === undefined ? {} : { trafficDelayMs: options.trafficDelayMs }),
      ...(options.rollbackMs === undefined ? {} : { rollbackMs: options.rollbackMs }),
    });
    this.lambda.beforeRequest = () => this.codeDeploy.catchUp();
    // One attempt: a throttle reaches the adapter instead of being retried by the SDK.
    this.clients = {
      lambda: new LambdaClient({ region, maxAttempts: 1 }),
      codeDeploy: new CodeDeployClient({ region, maxAttempts: 1 }),
    };
    this.lambdaStub = this.lambda.client(this.clients.lambda);
    this.codeDeployStub = this.codeDeploy.client(this.clients.codeDeploy);
  }

  aliasPlatform(capabilities = lambdaMethod('lambda-alias')): LambdaAliasPlatform {
    return new LambdaAliasPlatform({
      workload: this.workload,
      target: this.target,
      capabilities,
      clients: { lambda: this.clients.lambda },
      updateWait: FAST_WAIT,
    });
  }

  codeDeployPlatform(
    strategy: Strategy,
    rollbackWaitMs?: number,
    capabilities = lambdaMethod('lambda-codedeploy'),
  ): LambdaCodeDeployPlatform {
    return new LambdaCodeDeployPlatform({
      workload: this.workload,
      target: this.target,
      capabilities,
      clients: this.clients,
      updateWait: FAST_WAIT,
      strategy,
      clock: this.clock,
      ...(rollbackWaitMs === undefined ? {} : { rollbackWaitMs }),
    });
  }

  /** Every request either service received, in the order they were sent. */
  sent(): SentRequest[] {
    const tagged = (service: SentRequest['service'], stub: Stub) => {
      const requests = sentRequests(stub);
      return stub.calls().map((call, index) => ({
        order: (call as unknown as { callId: number }).callId,
        request: { service, ...(requests[index] as { operation: string; input: unknown }) },
      }));
    };
    return [...tagged('lambda', this.lambdaStub), ...tagged('codedeploy', this.codeDeployStub)]
      .sort((a, b) => a.order - b.order)
      .map((entry) => entry.request);
  }

  /** Operations only, "lambda:GetAlias" style, in order. */
  operations(): string[] {
    return this.sent().map((request) => `${request.service}:${request.operation}`);
  }

  /** Every request checked against the API models; call after each test. */
  expectValidRequests(): void {
    expectValidRequests(this.lambdaStub, LAMBDA_SDK);
    expectValidRequests(this.codeDeployStub, CODEDEPLOY_SDK);
  }

  /** Forgets the requests so far (the fakes keep their state). */
  resetHistory(): void {
    this.lambdaStub.resetHistory();
    this.codeDeployStub.resetHistory();
  }
}
