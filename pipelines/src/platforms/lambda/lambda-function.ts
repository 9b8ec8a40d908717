import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Capabilities, ReleaseMethodId } from '../../targets/capabilities';
import type { LambdaTarget } from '../../targets/manifest';
import type { Artifact, Revision, TrafficState } from '../port';
import { type AliasState, FunctionAlias } from './function-alias';
import { FunctionVersions } from './function-versions';
import { DEFAULT_UPDATE_WAIT, stageVersion, type UpdateWait } from './stage-version';

/** What both Lambda adapters are built from. */
export interface LambdaPlatformOptions {
  /** The workload's name in the release manifest, for messages and UnknownWorkloadError. */
  workload: string;
  target: LambdaTarget;
  capabilities: Capabilities;
  /** From `createAwsClients`: the adapters never build clients of their own. */
  clients: { lambda: LambdaClient };
  /** How the SDK waiter waits for a code update (seconds); default DEFAULT_UPDATE_WAIT. */
  updateWait?: UpdateWait;
}

/** The function, its alias and its versions: what both Lambda release methods share. */
export class LambdaFunction {
  readonly alias: FunctionAlias;
  readonly versions: FunctionVersions;

  constructor(
    private readonly options: LambdaPlatformOptions,
    method: ReleaseMethodId,
  ) {
    if (options.capabilities.method !== method) {
      throw new Error(`${method} cannot release ${options.workload} by ${options.capabilities.method}`);
    }
    const { lambda } = options.clients;
    this.alias = new FunctionAlias(lambda, options.target, options.workload);
    this.versions = new FunctionVersions(lambda, options.target.functionName);
  }

  get name(): string {
    return this.options.target.functionName;
  }

  get target(): LambdaTarget {
    return this.options.target;
  }

  get workload(): string {
    return this.options.workload;
  }

  /** "alias live of securecart-production-payments", for messages. */
  get aliasName(): string {
    return `alias ${this.options.target.alias} of ${this.name}`;
  }

  /** The alias's split as revisions. */
  async traffic(alias: AliasState): Promise<TrafficState> {
    const stable = await this.versions.revision(alias.stableRef);
    if (!alias.canary) return { stable, canaryWeight: 0 };
    const canary = await this.versions.revision(alias.canary.ref);
    return { stable, canary, canaryWeight: alias.canary.weight };
  }

  /**
   * The version that carries `artifact.version`: the alias's own when it is stable, an earlier published
   * one (a retry, a run that crashed), or one published now from the artifact.
   */
  async prepare(artifact: Artifact): Promise<Revision> {
    const alias = await this.alias.read();
    const stable = await this.versions.revision(alias.stableRef);
    if (stable.version === artifact.version) return stable;
    const published = await this.versions.find(artifact.version);
    if (published) return published;
    if (!artifact.source) {
      throw new Error(
        `cannot stage ${artifact.version} on ${this.name}: no published version carries it, and the release names no artifact (a zip, an S3 object or an image URI) to publish it from`,
      );
    }
    const { lambda } = this.options.clients;
    const wait = this.options.updateWait ?? DEFAULT_UPDATE_WAIT;
    return stageVersion(lambda, this.name, artifact.version, artifact.source, wait);
  }
}
