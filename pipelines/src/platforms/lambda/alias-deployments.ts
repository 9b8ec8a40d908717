import { AwsCallError } from '../../aws/aws-error';
import type { Step } from '../../plan/shape';
import { ACTIVE_STATUSES, type CodeDeployDeployments, type CodeDeployRun } from '../codedeploy/deployments';
import { deploymentStatus } from '../codedeploy/progress';
import { type DeploymentStatus, UnknownWorkloadError } from '../port';
import type { AliasState } from './function-alias';
import type { LambdaFunction } from './lambda-function';

/** A CodeDeploy deployment of the alias, with the versions it moves traffic between. */
export interface AliasDeployment {
  run: CodeDeployRun;
  /** The version traffic moves away from (the AppSpec's CurrentVersion): where a rollback returns. */
  fromRef: string;
  /** The version traffic moves to (TargetVersion): the release. */
  toRef: string;
}

/** The deployment a release is about, and whether CodeDeploy is still rolling it back. */
export interface LatestDeployment {
  deployment: AliasDeployment;
  rollingBack: boolean;
}

const MISSING_GROUP = ['ApplicationDoesNotExistException', 'DeploymentGroupDoesNotExistException'];

export function isRunning(run: CodeDeployRun): boolean {
  return ACTIVE_STATUSES.includes(run.status);
}

/**
 * The Lambda view of a deployment group's deployments. CodeDeploy rolls a deployment back with a new
 * deployment (new id, `rollbackInfo` naming the one it undoes); such a rollback stands for the
 * deployment it undoes, which is what a release started and what it must report as stopped or failed.
 */
export class AliasDeployments {
  constructor(
    private readonly deployments: CodeDeployDeployments,
    private readonly fn: LambdaFunction,
    private readonly steps: readonly Step[],
  ) {}

  /**
   * The group's deployment in flight, else its last one; undefined if it never had one. A missing
   * application or deployment group is an unknown workload: the target cannot be released this way.
   */
  async latest(): Promise<LatestDeployment | undefined> {
    const id = await this.latestId().catch((error: unknown) => {
      if (error instanceof AwsCallError && MISSING_GROUP.includes(error.code)) {
        const { codeDeploy, region } = this.fn.target;
        const where = `CodeDeploy (application ${codeDeploy.application}, deployment group ${codeDeploy.deploymentGroup} in ${region})`;
        throw new UnknownWorkloadError(this.fn.workload, where);
      }
      throw error;
    });
    if (!id) return undefined;
    const run = await this.deployments.read(id);
    if (!run.rollbackOf) return { deployment: this.versionsOf(run), rollingBack: false };
    const undone = await this.deployments.read(run.rollbackOf);
    return { deployment: this.versionsOf(undone), rollingBack: isRunning(run) };
  }

  private async latestId(): Promise<string | undefined> {
    return (await this.deployments.active()) ?? (await this.deployments.lastAttempted());
  }

  async read(id: string): Promise<AliasDeployment> {
    return this.versionsOf(await this.deployments.read(id));
  }

  /** The port's view: the step traffic is at, read from the alias (the live split), and the next shift. */
  async status(deployment: AliasDeployment, alias: AliasState): Promise<DeploymentStatus> {
    const revision = await this.fn.versions.revision(deployment.toRef);
    const share =
      alias.stableRef === deployment.toRef
        ? 100
        : alias.canary?.ref === deployment.toRef
          ? alias.canary.weight
          : 0;
    const status = deploymentStatus(deployment.run, revision, this.steps, share);
    if ((status.state === 'stopped' || status.state === 'failed') && status.reason === undefined) {
      status.reason = `CodeDeploy ${status.state === 'stopped' ? 'stopped' : 'failed'} it without a reason`;
    }
    return status;
  }

  /** The versions, from the Lambda target CodeDeploy reports, else from the AppSpec it was given. */
  private versionsOf(run: CodeDeployRun): AliasDeployment {
    const info = run.target?.lambdaTarget?.lambdaFunctionInfo;
    const properties = appSpecProperties(run.appSpec);
    const fromRef = info?.currentVersion ?? properties?.CurrentVersion;
    const toRef = info?.targetVersion ?? properties?.TargetVersion;
    if (!fromRef || !toRef) {
      throw new Error(`CodeDeploy deployment ${run.id} of ${this.fn.aliasName} names no function versions`);
    }
    return { run, fromRef, toRef };
  }
}

interface LambdaProperties {
  CurrentVersion?: string;
  TargetVersion?: string;
}

/** The properties of the AppSpec's one Lambda resource; undefined when it is not JSON (a YAML AppSpec). */
function appSpecProperties(content: string | undefined): LambdaProperties | undefined {
  if (!content) return undefined;
  try {
    const spec = JSON.parse(content) as { Resources?: Record<string, { Properties?: LambdaProperties }>[] };
    const [resource] = Object.values(spec.Resources?.[0] ?? {});
    return resource?.Properties;
  } catch {
    return undefined;
  }
}
