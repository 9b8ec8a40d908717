import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { describeShape, planSteps } from '../../plan/plan';
import { PREDEFINED_CONFIGS } from '../../plan/predefined';
import { type Shape, type Step, type Strategy, sameShape } from '../../plan/shape';
import { type Clock, systemClock } from '../../time/clock';
import { checkSteps } from '../capability-limits';
import { lambdaAppSpec } from '../codedeploy/appspec';
import { deploymentConfigFor } from '../codedeploy/deployment-config';
import { CodeDeployDeployments } from '../codedeploy/deployments';
import type { Artifact, DeploymentStatus, PlatformDrivenPlatform, Revision, TrafficState } from '../port';
import { AliasDeployments, isRunning, type LatestDeployment } from './alias-deployments';
import type { AliasState } from './function-alias';
import { LambdaFunction, type LambdaPlatformOptions } from './lambda-function';

export interface LambdaCodeDeployOptions extends LambdaPlatformOptions {
  clients: { lambda: LambdaClient; codeDeploy: CodeDeployClient };
  /** The bound policy environment's strategy: its shape, and the CodeDeploy configuration it named. */
  strategy: Strategy;
  /** What waits between reads of the alias while CodeDeploy rolls back; default the system clock. */
  clock?: Clock;
  /** How long CodeDeploy's own rollback gets to put the alias back before Tollgate does it itself. */
  rollbackWaitMs?: number;
}

const ROLLBACK_WAIT_MS = 60_000;
const ROLLBACK_POLL_MS = 3_000;

/**
 * `lambda-codedeploy`: CodeDeploy shifts the alias on its own schedule (the policy's predefined
 * configuration, or a time-based one created once); Tollgate starts the deployment, follows it and
 * stops it with rollback. CodeDeploy cannot hold a step (the capabilities say so), so the engine
 * rolls back a step still undecided just before CodeDeploy's next shift. The live split is always
 * read from the alias.
 */
export class LambdaCodeDeployPlatform implements PlatformDrivenPlatform {
  readonly driver = 'platform';
  readonly workload: string;
  readonly capabilities: LambdaPlatformOptions['capabilities'];
  private readonly fn: LambdaFunction;
  private readonly deployments: CodeDeployDeployments;
  private readonly runs: AliasDeployments;
  private readonly steps: readonly Step[];

  constructor(private readonly options: LambdaCodeDeployOptions) {
    this.workload = options.workload;
    this.capabilities = options.capabilities;
    this.fn = new LambdaFunction(options, 'lambda-codedeploy');
    this.deployments = new CodeDeployDeployments(options.clients.codeDeploy, options.target.codeDeploy);
    this.steps = planSteps(options.strategy.shape);
    this.runs = new AliasDeployments(this.deployments, this.fn, this.steps);
  }

  async current(): Promise<TrafficState> {
    const alias = await this.fn.alias.read();
    const traffic = await this.fn.traffic(alias);
    const latest = await this.runs.latest();
    if (latest) traffic.deployment = await this.runs.status(latest.deployment, alias);
    return traffic;
  }

  prepare(artifact: Artifact): Promise<Revision> {
    return this.fn.prepare(artifact);
  }

  async start(revision: Revision, steps: readonly Step[]): Promise<DeploymentStatus> {
    checkSteps(steps, this.capabilities);
    this.requirePlan(steps);
    const alias = await this.fn.alias.read();
    await this.fn.versions.check(revision);
    const latest = await this.runs.latest();
    const same = latest?.deployment.toRef === revision.ref ? latest.deployment : undefined;
    const done = same?.run.status === 'Succeeded' && alias.stableRef === revision.ref && !alias.canary;
    if (same && (isRunning(same.run) || done)) return this.runs.status(same, alias);
    await this.refuseStart(revision, alias, latest);
    const { codeDeploy } = this.options.clients;
    const { shape } = this.options.strategy;
    const config = await deploymentConfigFor(codeDeploy, 'Lambda', shape, this.namedConfig(shape));
    const appSpec = lambdaAppSpec({
      functionName: this.options.target.functionName,
      alias: this.options.target.alias,
      currentVersion: alias.stableRef,
      targetVersion: revision.ref,
    });
    const id = await this.deployments.start(appSpec, config, `Tollgate release ${revision.version}`);
    return this.runs.status(await this.runs.read(id), await this.fn.alias.read());
  }

  /** CodeDeploy makes the release stable when its schedule ends; this only confirms it did. */
  async promote(revision: Revision): Promise<void> {
    const alias = await this.fn.alias.read();
    if (alias.stableRef === revision.ref && !alias.canary) return;
    const latest = await this.runs.latest();
    const stable = await this.fn.versions.revision(alias.stableRef);
    const deployment = latest?.deployment.toRef === revision.ref ? latest.deployment : undefined;
    const why = !deployment
      ? `no CodeDeploy deployment of it ran; the stable version is ${stable.ref} (${stable.version})`
      : isRunning(deployment.run)
        ? `CodeDeploy deployment ${deployment.run.id} is still shifting traffic; it makes ${revision.version} stable when its schedule ends`
        : `CodeDeploy deployment ${deployment.run.id} ended ${deployment.run.status}${deployment.run.error ? ` (${deployment.run.error})` : ''}; the stable version is ${stable.ref} (${stable.version})`;
    throw new Error(`cannot promote ${revision.version} on ${this.workload}: ${why}`);
  }

  /**
   * Stops a deployment in flight with rollback and waits for CodeDeploy to put the alias back; if it
   * has not within `rollbackWaitMs`, or nothing was in flight (the deployment ended, `to` is no longer
   * stable), points the alias at the stable version itself.
   */
  async rollback(to?: Revision): Promise<void> {
    const alias = await this.fn.alias.read();
    const latest = await this.runs.latest();
    const release = latest?.deployment;
    const stopping = release && isRunning(release.run) ? release : undefined;
    if (stopping) await this.deployments.stop(stopping.run.id);
    const undoing = stopping ?? (latest?.rollingBack ? release : undefined);
    const stableRef = to?.ref ?? undoing?.fromRef ?? alias.stableRef;
    if (undoing) await this.awaitAlias(undoing.fromRef);
    const now = await this.fn.alias.read();
    if (now.stableRef !== stableRef || now.canary) await this.fn.alias.route(stableRef);
  }

  private async awaitAlias(ref: string): Promise<void> {
    const clock = this.options.clock ?? systemClock;
    const giveUpAt = clock.now() + (this.options.rollbackWaitMs ?? ROLLBACK_WAIT_MS);
    for (;;) {
      const alias = await this.fn.alias.read();
      if ((alias.stableRef === ref && !alias.canary) || clock.now() >= giveUpAt) return;
      await clock.sleep(ROLLBACK_POLL_MS);
    }
  }

  private async refuseStart(revision: Revision, alias: AliasState, latest?: LatestDeployment): Promise<void> {
    const cannot = `cannot start a CodeDeploy deployment of ${revision.version} on ${this.workload}`;
    const busy = latest && (isRunning(latest.deployment.run) || latest.rollingBack) ? latest : undefined;
    if (busy) {
      const other = await this.fn.versions.revision(busy.deployment.toRef);
      const doing = busy.rollingBack ? 'being rolled back' : 'in progress';
      throw new Error(`${cannot}: deployment ${busy.deployment.run.id} (of ${other.version}) is ${doing}`);
    }
    if (alias.stableRef === revision.ref) throw new Error(`${cannot}: it is the stable version already`);
    if (alias.canary) {
      const other = await this.fn.versions.revision(alias.canary.ref);
      throw new Error(
        `${cannot}: ${this.fn.aliasName} routes ${alias.canary.weight}% to version ${other.ref} (${other.version}); roll that back first`,
      );
    }
  }

  /** CodeDeploy runs the configuration's schedule, so the steps judged must be exactly that schedule. */
  private requirePlan(steps: readonly Step[]): void {
    if (JSON.stringify(steps) === JSON.stringify(this.steps)) return;
    const { shape } = this.options.strategy;
    throw new Error(
      `cannot start ${this.workload} through CodeDeploy with these steps: its configuration runs ${describeShape(shape)}`,
    );
  }

  /** The configuration the policy named, or the predefined one with the same schedule. */
  private namedConfig(shape: Shape): string | undefined {
    const named = this.options.strategy.codeDeployConfig;
    if (named) return named;
    return Object.entries(PREDEFINED_CONFIGS).find(
      ([, config]) => config.family === 'lambda' && sameShape(config.shape, shape),
    )?.[0];
  }
}
