import { checkWeight } from '../capability-limits';
import type { Artifact, EngineDrivenPlatform, Revision, TrafficState } from '../port';
import type { AliasState } from './function-alias';
import { LambdaFunction, type LambdaPlatformOptions } from './lambda-function';

/**
 * `lambda-alias`: Tollgate sets every weight on the function's alias. The canary is the alias's one
 * additional version (`RoutingConfig.AdditionalVersionWeights`); promoting points the alias at it
 * alone; rolling back drops the routing. Every write names the alias revision it read, so a change
 * someone else made meanwhile is refused instead of overwritten (except a rollback, which must win).
 */
export class LambdaAliasPlatform implements EngineDrivenPlatform {
  readonly driver = 'engine';
  readonly workload: string;
  readonly capabilities: LambdaPlatformOptions['capabilities'];
  private readonly fn: LambdaFunction;

  constructor(options: LambdaPlatformOptions) {
    this.workload = options.workload;
    this.capabilities = options.capabilities;
    this.fn = new LambdaFunction(options, 'lambda-alias');
  }

  async current(): Promise<TrafficState> {
    return this.fn.traffic(await this.fn.alias.read());
  }

  prepare(artifact: Artifact): Promise<Revision> {
    return this.fn.prepare(artifact);
  }

  async shift(revision: Revision, weight: number): Promise<void> {
    checkWeight(weight, this.capabilities);
    const alias = await this.fn.alias.read();
    await this.fn.versions.check(revision);
    const cannot = `cannot shift ${weight}% of ${this.workload} to ${revision.version}`;
    if (revision.ref === alias.stableRef)
      throw new Error(`${cannot}: version ${revision.ref} is stable already`);
    await this.refuseOtherCanary(alias, revision, cannot);
    if (alias.canary?.ref === revision.ref && alias.canary.weight === weight) return;
    const canary = weight > 0 ? { ref: revision.ref, weight } : undefined;
    await this.fn.alias.route(alias.stableRef, canary, alias.revisionId);
  }

  async promote(revision: Revision): Promise<void> {
    const alias = await this.fn.alias.read();
    if (alias.stableRef === revision.ref && !alias.canary) return;
    await this.fn.versions.check(revision);
    await this.refuseOtherCanary(alias, revision, `cannot promote ${revision.version} on ${this.workload}`);
    await this.fn.alias.route(revision.ref, undefined, alias.revisionId);
  }

  /** Reads nothing it does not need: a throttled read must not keep traffic on a failing canary. */
  async rollback(to?: Revision): Promise<void> {
    const alias = await this.fn.alias.read();
    const stableRef = to?.ref ?? alias.stableRef;
    if (alias.stableRef === stableRef && !alias.canary) return;
    await this.fn.alias.route(stableRef);
  }

  /** Traffic on a third version means someone else is releasing: never silently take it away. */
  private async refuseOtherCanary(alias: AliasState, revision: Revision, cannot: string): Promise<void> {
    if (!alias.canary || alias.canary.ref === revision.ref) return;
    const other = await this.fn.versions.revision(alias.canary.ref);
    throw new Error(
      `${cannot}: ${this.fn.aliasName} routes ${alias.canary.weight}% to version ${other.ref} (${other.version}); roll that back first`,
    );
  }
}
