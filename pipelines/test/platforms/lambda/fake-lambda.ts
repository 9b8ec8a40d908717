import {
  type AliasConfiguration,
  GetAliasCommand,
  type GetAliasRequest,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationRequest,
  type GetFunctionRequest,
  InvalidParameterValueException,
  type LambdaClient,
  type LambdaClientResolvedConfig,
  ListVersionsByFunctionCommand,
  type ListVersionsByFunctionRequest,
  PreconditionFailedException,
  PublishVersionCommand,
  type PublishVersionRequest,
  ResourceNotFoundException,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  UpdateAliasCommand,
  type UpdateAliasRequest,
  UpdateFunctionCodeCommand,
  type UpdateFunctionCodeRequest,
  UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { modelled } from '../../aws/validated-mock';
import { FakeFunction, type FakeFunctionOptions } from './fake-function';

const SDK = '@aws-sdk/client-lambda';

export type LambdaStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, LambdaClientResolvedConfig>;

export type LambdaOperation =
  | 'GetAlias'
  | 'UpdateAlias'
  | 'GetFunction'
  | 'GetFunctionConfiguration'
  | 'ListVersionsByFunction'
  | 'UpdateFunctionConfiguration'
  | 'UpdateFunctionCode'
  | 'PublishVersion';

/** The alias at one moment: the version it points at and the fractions routed to others. */
export interface AliasChange {
  at: number;
  functionVersion: string;
  weights: Record<string, number>;
}

export interface FakeLambdaOptions extends FakeFunctionOptions {
  alias: string;
  now: () => number;
}

/**
 * Lambda for one function and its alias, kept in memory behind aws-sdk-client-mock: the function's code
 * and versions (FakeFunction), and the alias, whose every change is recorded at the time it happened so
 * synthetic traffic can follow it. It answers only in shapes the API model allows and refuses what
 * Lambda refuses (a stale RevisionId, a routing weight outside 0–1, a second routed version).
 */
export class FakeLambda {
  readonly history: AliasChange[] = [];
  readonly fn: FakeFunction;
  /** Runs before every request: what else moves the alias (CodeDeploy) catches up with the clock. */
  beforeRequest: () => void = () => {};
  private alias: { functionVersion: string; weights: Record<string, number>; revision: number };
  private readonly intercepts = new Map<LambdaOperation, (() => void)[]>();

  constructor(private readonly options: FakeLambdaOptions) {
    this.fn = new FakeFunction(options);
    this.alias = { functionVersion: '1', weights: {}, revision: 1 };
    this.history.push({ at: options.now(), functionVersion: '1', weights: {} });
  }

  /** A Lambda client whose requests this fake answers, and the stub that recorded them. */
  client(client: LambdaClient): LambdaStub {
    const stub = mockClient(client);
    const answer =
      <I, O>(operation: LambdaOperation, handle: (input: I) => O) =>
      (input: I) => {
        this.beforeRequest();
        this.intercepts.get(operation)?.shift()?.();
        return modelled(SDK, operation, handle(input));
      };
    const { fn } = this;
    stub.on(GetAliasCommand).callsFake(answer('GetAlias', (i: GetAliasRequest) => this.getAlias(i)));
    stub
      .on(UpdateAliasCommand)
      .callsFake(answer('UpdateAlias', (i: UpdateAliasRequest) => this.updateAlias(i)));
    stub
      .on(GetFunctionCommand)
      .callsFake(answer('GetFunction', (i: GetFunctionRequest) => fn.getFunction(i)));
    stub
      .on(GetFunctionConfigurationCommand)
      .callsFake(
        answer('GetFunctionConfiguration', (i: GetFunctionConfigurationRequest) => fn.configuration(i)),
      );
    stub
      .on(ListVersionsByFunctionCommand)
      .callsFake(answer('ListVersionsByFunction', (i: ListVersionsByFunctionRequest) => fn.listVersions(i)));
    stub
      .on(UpdateFunctionConfigurationCommand)
      .callsFake(
        answer('UpdateFunctionConfiguration', (i: UpdateFunctionConfigurationRequest) =>
          fn.updateConfiguration(i),
        ),
      );
    stub
      .on(UpdateFunctionCodeCommand)
      .callsFake(answer('UpdateFunctionCode', (i: UpdateFunctionCodeRequest) => fn.updateCode(i)));
    stub
      .on(PublishVersionCommand)
      .callsFake(answer('PublishVersion', (i: PublishVersionRequest) => fn.publish(i)));
    return stub;
  }

  /** The next call of `operation` fails with `error` (throttled, denied, a 5xx). */
  failNext(operation: LambdaOperation, error: Error): void {
    this.interceptNext(operation, () => {
      throw error;
    });
  }

  /** Runs `action` just before Lambda handles the next call of `operation` (someone else's change). */
  interceptNext(operation: LambdaOperation, action: () => void): void {
    this.intercepts.set(operation, [...(this.intercepts.get(operation) ?? []), action]);
  }

  /** What CodeDeploy does to the alias at `at` (its own UpdateAlias calls, not recorded as requests). */
  setAlias(at: number, functionVersion: string, weights: Record<string, number>): void {
    this.alias = { functionVersion, weights: { ...weights }, revision: this.alias.revision + 1 };
    this.history.push({ at, functionVersion, weights: { ...weights } });
  }

  releaseOf(ref: string): string {
    return this.fn.releaseOf(ref);
  }

  /** The share (0..1) of the alias's traffic that went to versions carrying `release` at `at`. */
  shareAt(release: string, at: number): number {
    const change = this.history.filter((entry) => entry.at <= at).at(-1) ?? this.history[0];
    if (!change) return 0;
    const routed = Object.values(change.weights).reduce((total, weight) => total + weight, 0);
    const shares: [string, number][] = [
      [change.functionVersion, 1 - routed],
      ...Object.entries(change.weights),
    ];
    return shares
      .filter(([ref]) => this.releaseOf(ref) === release)
      .reduce((total, [, share]) => total + share, 0);
  }

  /** The alias now, as a plain value for assertions. */
  get aliasNow(): { functionVersion: string; weights: Record<string, number> } {
    return { functionVersion: this.alias.functionVersion, weights: { ...this.alias.weights } };
  }

  private aliasConfiguration(): AliasConfiguration {
    const { functionVersion, weights, revision } = this.alias;
    return {
      AliasArn: this.fn.arn(this.options.alias),
      Name: this.options.alias,
      FunctionVersion: functionVersion,
      Description: 'Production traffic',
      ...(Object.keys(weights).length > 0
        ? { RoutingConfig: { AdditionalVersionWeights: { ...weights } } }
        : {}),
      RevisionId: `alias-revision-${revision}`,
    };
  }

  private getAlias(input: GetAliasRequest): AliasConfiguration {
    this.fn.requireFunction(input.FunctionName);
    if (input.Name !== this.options.alias) throw notFound(`Alias not found: ${this.fn.arn(input.Name)}`);
    return this.aliasConfiguration();
  }

  private updateAlias(input: UpdateAliasRequest): AliasConfiguration {
    this.getAlias(input);
    if (input.RevisionId && input.RevisionId !== `alias-revision-${this.alias.revision}`) {
      throw new PreconditionFailedException({
        $metadata: { httpStatusCode: 412 },
        message:
          'The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to retrieve the latest Revision Id',
      });
    }
    const functionVersion = input.FunctionVersion ?? this.alias.functionVersion;
    this.fn.requireVersion(functionVersion);
    const weights = input.RoutingConfig
      ? { ...(input.RoutingConfig.AdditionalVersionWeights ?? {}) }
      : this.alias.weights;
    this.checkRouting(functionVersion, weights);
    this.setAlias(this.options.now(), functionVersion, weights);
    return this.aliasConfiguration();
  }

  private checkRouting(functionVersion: string, weights: Record<string, number>): void {
    const entries = Object.entries(weights);
    const invalid = (message: string) =>
      new InvalidParameterValueException({ $metadata: { httpStatusCode: 400 }, message });
    if (entries.length > 1)
      throw invalid('Number of items in AdditionalVersionWeights cannot be greater than 1');
    for (const [ref, weight] of entries) {
      if (!(weight >= 0 && weight <= 1))
        throw invalid(`Invalid weight ${weight}: it must be between 0.0 and 1.0`);
      if (ref === functionVersion) throw invalid('Alias cannot route traffic to the version it points at');
      this.fn.requireVersion(ref);
    }
  }
}

function notFound(message: string): Error {
  return new ResourceNotFoundException({ $metadata: { httpStatusCode: 404 }, message, Type: 'User' });
}
