import { GetAliasCommand, type LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { AwsCallError, aws } from '../../aws/aws-error';
import type { LambdaTarget } from '../../targets/manifest';
import { UnknownWorkloadError } from '../port';

/** An alias as Tollgate reads it: the version it points at, and the one extra version it routes to. */
export interface AliasState {
  stableRef: string;
  /** The additional version and its share of traffic in percent (0..100); absent when none routes. */
  canary?: { ref: string; weight: number };
  /** Changes on every update, so a write can refuse to overwrite an alias someone changed since. */
  revisionId?: string;
}

/**
 * Lambda counts an alias's routing as a fraction 0.0–1.0 of traffic (AliasRoutingConfiguration,
 * AdditionalVersionWeights); Tollgate counts percent in hundredths, so four decimals are exact.
 */
export function toFraction(percent: number): number {
  return Math.round(percent * 100) / 10_000;
}

export function toPercent(fraction: number): number {
  return Math.round(fraction * 1_000_000) / 10_000;
}

/** Reads and writes the workload's alias: the one place traffic between versions is split. */
export class FunctionAlias {
  private readonly name: string;

  constructor(
    private readonly client: LambdaClient,
    private readonly target: LambdaTarget,
    private readonly workload: string,
  ) {
    this.name = `alias ${target.alias} of ${target.functionName}`;
  }

  /** The alias now; a missing function or alias is an unknown workload. */
  async read(): Promise<AliasState> {
    const { functionName, alias } = this.target;
    const read = await aws(`read ${this.name}`, () =>
      this.client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias })),
    ).catch((error: unknown) => {
      if (error instanceof AwsCallError && error.code === 'ResourceNotFoundException') {
        throw new UnknownWorkloadError(this.workload, `Lambda (${this.name} in ${this.target.region})`);
      }
      throw error;
    });
    if (!read.FunctionVersion) throw new Error(`Lambda returned ${this.name} without a version`);
    const state: AliasState = { stableRef: read.FunctionVersion };
    const [routed] = Object.entries(read.RoutingConfig?.AdditionalVersionWeights ?? {});
    if (routed && routed[1] > 0) state.canary = { ref: routed[0], weight: toPercent(routed[1]) };
    if (read.RevisionId) state.revisionId = read.RevisionId;
    return state;
  }

  /**
   * Points the alias at `stableRef`, routing `canary.weight`% to `canary.ref`, or nothing when there is
   * no canary. With `revisionId`, Lambda refuses the write if the alias changed since it was read.
   */
  async route(
    stableRef: string,
    canary?: { ref: string; weight: number },
    revisionId?: string,
  ): Promise<void> {
    const weights = canary ? { [canary.ref]: toFraction(canary.weight) } : {};
    const what = canary
      ? `shift ${this.name} to version ${canary.ref} at ${canary.weight}%`
      : `point ${this.name} at version ${stableRef} alone`;
    await aws(what, () =>
      this.client.send(
        new UpdateAliasCommand({
          FunctionName: this.target.functionName,
          Name: this.target.alias,
          FunctionVersion: stableRef,
          RoutingConfig: { AdditionalVersionWeights: weights },
          ...(revisionId ? { RevisionId: revisionId } : {}),
        }),
      ),
    );
  }
}
