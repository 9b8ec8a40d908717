import {
  type CodeDeployClient,
  type DeploymentStatus as CodeDeployStatus,
  CreateDeploymentCommand,
  type DeploymentTarget,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { aws } from '../../aws/aws-error';
import { appSpecRevision } from './appspec';

/** The deployment group a workload is released through (from the release manifest's `codeDeploy`). */
export interface CodeDeployGroup {
  application: string;
  deploymentGroup: string;
}

/** What one CodeDeploy deployment looks like when read, in the terms the adapters need. */
export interface CodeDeployRun {
  id: string;
  status: CodeDeployStatus;
  /** The AppSpec the deployment was created with (JSON), to tell which revision it deploys. */
  appSpec?: string;
  createdAt?: number;
  /** When CodeDeploy began shifting traffic (its AllowTraffic lifecycle event started); the schedule counts from here. */
  trafficStartedAt?: number;
  /** The target's own lifecycle target, for the adapter to read weights from (alias versions, task sets). */
  target?: DeploymentTarget;
  /** CodeDeploy's words when the deployment failed or stopped. */
  error?: string;
  /** Set on a rollback CodeDeploy created: the deployment it rolls back (a new deployment, a new id). */
  rollbackOf?: string;
}

/** Statuses of a deployment that still holds or moves traffic; CodeDeploy allows one such per group. */
export const ACTIVE_STATUSES: readonly CodeDeployStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Ready',
];

/** The CodeDeploy calls every CodeDeploy-run release makes, for one deployment group. */
export class CodeDeployDeployments {
  constructor(
    private readonly client: CodeDeployClient,
    private readonly group: CodeDeployGroup,
  ) {}

  /** Creates a deployment of `appSpec` with `config`; returns its id. */
  async start(appSpec: string, config: string, description: string): Promise<string> {
    const { application, deploymentGroup } = this.group;
    const command = new CreateDeploymentCommand({
      applicationName: application,
      deploymentGroupName: deploymentGroup,
      deploymentConfigName: config,
      description,
      revision: appSpecRevision(appSpec),
    });
    const { deploymentId } = await aws(`start a CodeDeploy deployment of ${deploymentGroup}`, () =>
      this.client.send(command),
    );
    if (!deploymentId) throw new Error(`CodeDeploy created a deployment of ${deploymentGroup} without an id`);
    return deploymentId;
  }

  /** The deployment of the group that is still under way, if any (what a crashed run left behind). */
  async active(): Promise<string | undefined> {
    const { application, deploymentGroup } = this.group;
    let nextToken: string | undefined;
    do {
      const page = await aws(`list the deployments of ${deploymentGroup}`, () =>
        this.client.send(
          new ListDeploymentsCommand({
            applicationName: application,
            deploymentGroupName: deploymentGroup,
            includeOnlyStatuses: [...ACTIVE_STATUSES],
            ...(nextToken ? { nextToken } : {}),
          }),
        ),
      );
      const [first] = page.deployments ?? [];
      if (first) return first;
      nextToken = page.nextToken;
    } while (nextToken);
    return undefined;
  }

  /** The group's last attempted deployment, finished or not: what an adapter reports once none runs. */
  async lastAttempted(): Promise<string | undefined> {
    const { application, deploymentGroup } = this.group;
    const command = new GetDeploymentGroupCommand({
      applicationName: application,
      deploymentGroupName: deploymentGroup,
    });
    const { deploymentGroupInfo } = await aws(`read deployment group ${deploymentGroup}`, () =>
      this.client.send(command),
    );
    return deploymentGroupInfo?.lastAttemptedDeployment?.deploymentId;
  }

  /** The deployment and its one target (the alias or the ECS service) as CodeDeploy reports them now. */
  async read(id: string): Promise<CodeDeployRun> {
    const { deploymentInfo: info } = await aws(`read CodeDeploy deployment ${id}`, () =>
      this.client.send(new GetDeploymentCommand({ deploymentId: id })),
    );
    const run: CodeDeployRun = { id, status: info?.status ?? 'Created' };
    const content = info?.revision?.appSpecContent?.content;
    if (content) run.appSpec = content;
    if (info?.createTime) run.createdAt = info.createTime.getTime();
    if (info?.errorInformation?.message)
      run.error = `${info.errorInformation.code ?? 'error'}: ${info.errorInformation.message}`;
    const rollbackOf = info?.rollbackInfo?.rollbackTriggeringDeploymentId;
    if (rollbackOf) run.rollbackOf = rollbackOf;
    const target = await this.target(id);
    if (target) {
      run.target = target;
      const started = trafficStart(target);
      if (started !== undefined) run.trafficStartedAt = started;
    }
    return run;
  }

  /** Stops a deployment and has CodeDeploy roll traffic back; stopping one that already ended is a no-op. */
  async stop(id: string): Promise<void> {
    await aws(`stop CodeDeploy deployment ${id}`, () =>
      this.client.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true })),
    ).catch((error: unknown) => {
      if ((error as { cause?: Error }).cause?.name !== 'DeploymentAlreadyCompletedException') throw error;
    });
  }

  private async target(id: string): Promise<DeploymentTarget | undefined> {
    const { targetIds } = await aws(`list the targets of CodeDeploy deployment ${id}`, () =>
      this.client.send(new ListDeploymentTargetsCommand({ deploymentId: id })),
    );
    const [targetId] = targetIds ?? [];
    if (!targetId) return undefined;
    const { deploymentTarget } = await aws(`read the target of CodeDeploy deployment ${id}`, () =>
      this.client.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId })),
    );
    return deploymentTarget;
  }
}

/** When the target's AllowTraffic lifecycle event started: the moment CodeDeploy's own schedule starts. */
function trafficStart(target: DeploymentTarget): number | undefined {
  const events = target.lambdaTarget?.lifecycleEvents ?? target.ecsTarget?.lifecycleEvents ?? [];
  const allow = events.find((event) => event.lifecycleEventName === 'AllowTraffic');
  return allow?.status === 'Pending' ? undefined : allow?.startTime?.getTime();
}
