import { createHash } from 'node:crypto';
import {
  type FunctionConfiguration,
  type GetFunctionConfigurationRequest,
  type GetFunctionRequest,
  type GetFunctionResponse,
  InvalidParameterValueException,
  type ListVersionsByFunctionRequest,
  type ListVersionsByFunctionResponse,
  PreconditionFailedException,
  type PublishVersionRequest,
  ResourceConflictException,
  ResourceNotFoundException,
  type UpdateFunctionCodeRequest,
  type UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';

const ACCOUNT = '123456789012';
const PAGE = 50;

interface Code {
  sha: string;
  environment: Record<string, string>;
}

interface Latest extends Code {
  status: 'Successful' | 'InProgress' | 'Failed';
  /** GetFunction reads left before an update in progress ends. */
  readsLeft: number;
  failure?: UpdateFailure;
}

export interface UpdateFailure {
  code: 'InvalidImage' | 'EniLimitExceeded';
  reason: string;
}

export interface FakeFunctionOptions {
  functionName: string;
  region: string;
  /** The release the function's first version (published by the infra) carries in RELEASE_VERSION. */
  stableRelease: string;
  /** false: the function does not exist. */
  exists?: boolean;
}

/**
 * A function's code and versions as the Lambda API shows them: $LATEST with its last code update (in
 * progress for `updateReads` GetFunction reads, then done or failed), its environment, and the published
 * versions. It refuses what Lambda refuses: an update or a publish while one is in progress, a CodeSha256
 * or RevisionId that is not $LATEST's; it replaces the whole environment on a settings update; and, like
 * Lambda, publishes no new version when nothing changed since the last one.
 */
export class FakeFunction {
  /** GetFunction reads an update stays InProgress; the SDK waiter polls until it ends. */
  updateReads = 1;
  /** Set: $LATEST's environment cannot be shown (Lambda's Environment.Error, as when KMS denies it). */
  environmentError: { ErrorCode: string; Message: string } | undefined;
  private readonly versions: (Code & { version: string; description: string })[] = [];
  private latest: Latest;
  private nextFailure?: UpdateFailure;
  /** Bumped by every change of $LATEST, as Lambda's RevisionId is. */
  private revision = 1;

  constructor(private readonly options: FakeFunctionOptions) {
    const environment = { LOG_LEVEL: 'INFO', RELEASE_VERSION: options.stableRelease };
    const code = { sha: sha('infra build'), environment };
    this.versions.push({ ...code, version: '1', description: `${options.functionName} (deployed by CDK)` });
    this.latest = { ...code, status: 'Successful', readsLeft: 0 };
  }

  /** The next code update ends Failed, as when Lambda cannot pull an image or create an ENI. */
  failNextUpdate(failure: UpdateFailure): void {
    this.nextFailure = failure;
  }

  /** An UpdateFunctionCode someone else sent (or a run that crashed right after sending it). */
  updateOutOfBand(origin: string): void {
    this.revision += 1;
    this.latest = { ...this.latest, sha: sha(origin), status: 'InProgress', readsLeft: this.updateReads };
    delete this.latest.failure;
  }

  /** Publishes `count` more versions directly (to exercise paging), each with its own code. */
  seedVersions(count: number, release: (index: number) => string): void {
    for (let index = 0; index < count; index += 1) {
      const environment = { ...this.latest.environment, RELEASE_VERSION: release(index) };
      const code = { sha: sha(`seed ${index}`), environment };
      this.versions.push({
        ...code,
        version: String(this.versions.length + 1),
        description: `Tollgate release ${release(index)}`,
      });
    }
  }

  /** The release a version runs, as the workload itself labels its traces: its RELEASE_VERSION. */
  releaseOf(ref: string): string {
    const version = this.versions.find((candidate) => candidate.version === ref);
    return version?.environment.RELEASE_VERSION || 'unreleased';
  }

  get publishedCount(): number {
    return this.versions.length;
  }

  arn(qualifier?: string): string {
    const { region, functionName } = this.options;
    return `arn:aws:lambda:${region}:${ACCOUNT}:function:${functionName}${qualifier ? `:${qualifier}` : ''}`;
  }

  requireFunction(name: string | undefined): void {
    if (this.options.exists === false || name !== this.options.functionName) {
      throw notFound(`Function not found: ${this.arn()}`);
    }
  }

  requireVersion(ref: string): void {
    if (!this.versions.some((version) => version.version === ref))
      throw notFound(`Function not found: ${this.arn(ref)}`);
  }

  private latestConfiguration(): FunctionConfiguration {
    const { sha: CodeSha256, environment, status, failure } = this.latest;
    return {
      FunctionName: this.options.functionName,
      FunctionArn: this.arn(),
      Version: '$LATEST',
      Description: `${this.options.functionName} (deployed by CDK)`,
      CodeSha256,
      Environment: this.environmentError
        ? { Error: { ...this.environmentError } }
        : { Variables: { ...environment } },
      State: 'Active',
      LastUpdateStatus: status,
      ...(status === 'Failed' && failure
        ? { LastUpdateStatusReasonCode: failure.code, LastUpdateStatusReason: failure.reason }
        : {}),
      RevisionId: `function-revision-${this.revision}`,
    };
  }

  private versionConfiguration(ref: string): FunctionConfiguration {
    const version = this.versions.find((candidate) => candidate.version === ref);
    if (!version) throw notFound(`Function not found: ${this.arn(ref)}`);
    return {
      FunctionName: this.options.functionName,
      FunctionArn: this.arn(ref),
      Version: ref,
      Description: version.description,
      CodeSha256: version.sha,
      Environment: { Variables: { ...version.environment } },
      State: 'Active',
      LastUpdateStatus: 'Successful',
    };
  }

  configuration(input: GetFunctionConfigurationRequest): FunctionConfiguration {
    this.requireFunction(input.FunctionName);
    const qualifier = input.Qualifier ?? '$LATEST';
    return qualifier === '$LATEST' ? this.latestConfiguration() : this.versionConfiguration(qualifier);
  }

  /** The waiter's read: an update in progress ends after `updateReads` of these. */
  getFunction(input: GetFunctionRequest): GetFunctionResponse {
    this.requireFunction(input.FunctionName);
    if (this.latest.status === 'InProgress') {
      this.latest.readsLeft -= 1;
      if (this.latest.readsLeft < 0) this.latest.status = this.latest.failure ? 'Failed' : 'Successful';
    }
    return {
      Configuration: this.latestConfiguration(),
      Code: {
        RepositoryType: 'S3',
        Location: `https://awslambda-${this.options.region}-tasks.s3.amazonaws.com/snapshots/${ACCOUNT}/${this.options.functionName}`,
      },
    };
  }

  listVersions(input: ListVersionsByFunctionRequest): ListVersionsByFunctionResponse {
    this.requireFunction(input.FunctionName);
    const all = [
      this.latestConfiguration(),
      ...this.versions.map((version) => this.versionConfiguration(version.version)),
    ];
    const start = Number(input.Marker ?? 0);
    const end = start + Math.min(PAGE, input.MaxItems ?? PAGE);
    return { Versions: all.slice(start, end), ...(end < all.length ? { NextMarker: String(end) } : {}) };
  }

  /** UpdateFunctionConfiguration, of the environment only (all Tollgate changes). */
  updateConfiguration(input: UpdateFunctionConfigurationRequest): FunctionConfiguration {
    this.requireFunction(input.FunctionName);
    if (this.latest.status === 'InProgress') throw conflict(this.arn());
    this.requireRevision(input.RevisionId);
    this.startUpdate({ environment: { ...(input.Environment?.Variables ?? {}) } }, false);
    return this.latestConfiguration();
  }

  private requireRevision(revisionId: string | undefined): void {
    if (revisionId && revisionId !== `function-revision-${this.revision}`) {
      throw new PreconditionFailedException({
        $metadata: { httpStatusCode: 412 },
        message:
          'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      });
    }
  }

  /** Starts an update of $LATEST; a code update fails if failNextUpdate said so. */
  private startUpdate(change: Partial<Code>, ofCode = true): void {
    const latest: Latest = { ...this.latest, ...change, status: 'InProgress', readsLeft: this.updateReads };
    if (ofCode && this.nextFailure) latest.failure = this.nextFailure;
    else delete latest.failure;
    if (ofCode) delete this.nextFailure;
    this.latest = latest;
    this.revision += 1;
  }

  updateCode(input: UpdateFunctionCodeRequest): FunctionConfiguration {
    this.requireFunction(input.FunctionName);
    if (this.latest.status === 'InProgress') throw conflict(this.arn());
    const sources = [input.ZipFile, input.S3Bucket ?? input.S3Key, input.ImageUri].filter(
      (source) => source !== undefined,
    );
    if (sources.length !== 1 || (input.S3Bucket === undefined) !== (input.S3Key === undefined)) {
      throw new InvalidParameterValueException({
        $metadata: { httpStatusCode: 400 },
        message: 'Please provide a source for function code: ZipFile, S3Bucket and S3Key, or ImageUri',
      });
    }
    const origin =
      input.ZipFile ??
      input.ImageUri ??
      `s3://${input.S3Bucket}/${input.S3Key}?versionId=${input.S3ObjectVersion ?? ''}`;
    this.startUpdate({ sha: sha(origin) });
    return this.latestConfiguration();
  }

  publish(input: PublishVersionRequest): FunctionConfiguration {
    this.requireFunction(input.FunctionName);
    if (this.latest.status === 'InProgress') throw conflict(this.arn());
    if (input.CodeSha256 && input.CodeSha256 !== this.latest.sha) {
      throw new PreconditionFailedException({
        $metadata: { httpStatusCode: 412 },
        message: `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${this.latest.sha}). Please try again with the CodeSHA256 in $LATEST.`,
      });
    }
    this.requireRevision(input.RevisionId);
    const newest = this.versions.at(-1);
    const unchanged =
      newest?.sha === this.latest.sha &&
      JSON.stringify(newest.environment) === JSON.stringify(this.latest.environment);
    if (newest && unchanged) return this.versionConfiguration(newest.version);
    const version = String(this.versions.length + 1);
    const description = input.Description ?? `${this.options.functionName} (deployed by CDK)`;
    this.versions.push({
      sha: this.latest.sha,
      environment: { ...this.latest.environment },
      version,
      description,
    });
    return this.versionConfiguration(version);
  }
}

function sha(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('base64');
}

function notFound(message: string): Error {
  return new ResourceNotFoundException({ $metadata: { httpStatusCode: 404 }, message, Type: 'User' });
}

function conflict(arn: string): Error {
  return new ResourceConflictException({
    $metadata: { httpStatusCode: 409 },
    message: `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`,
    Type: 'User',
  });
}
