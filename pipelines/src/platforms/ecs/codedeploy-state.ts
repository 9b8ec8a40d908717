import { type CodeDeployClient, GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { AwsCallError, aws } from '../../aws/aws-error';
import type { Step } from '../../plan/shape';
import {
  ACTIVE_STATUSES,
  type CodeDeployDeployments,
  type CodeDeployGroup,
  type CodeDeployRun,
} from '../codedeploy/deployments';
import { deploymentStatus } from '../codedeploy/progress';
import { type Revision, type TrafficState, UnknownWorkloadError } from '../port';
import type { EcsService } from './ecs-service';
import type { TaskDefinitions } from './task-definitions';

/** A CodeDeploy blue/green ECS service as one read found it. */
export interface CodeDeployState {
  service: Service;
  traffic: TrafficState;
  /** The group's latest deployment: the one in flight, else the last attempted. */
  run?: CodeDeployRun;
  /** Whether `run` still holds or moves traffic (CodeDeploy allows one such per group). */
  active: boolean;
  /** The revision `run` deploys (its AppSpec's task definition). */
  revision?: Revision;
  /** What a rollback returns to: the original (blue) task set's revision. */
  original: Revision;
}

export interface CodeDeployParts {
  workload: string;
  service: EcsService;
  deployments: CodeDeployDeployments;
  group: CodeDeployGroup;
  codeDeploy: CodeDeployClient;
  taskDefinitions: TaskDefinitions;
  /** The steps the release's deployments run (the policy's plan), for the status of one. */
  steps: readonly Step[];
}

/**
 * Reads the service's task sets (DescribeServices) and the group's latest deployment: the one in flight
 * (ListDeployments), else the last attempted (GetDeploymentGroup), with its target's task-set weights
 * (GetDeployment, ListDeploymentTargets, GetDeploymentTarget). The split is the green task set's
 * `trafficWeight` while the deployment is active; otherwise the PRIMARY task set serves everything.
 */
export async function readCodeDeploy(parts: CodeDeployParts): Promise<CodeDeployState> {
  const service = await parts.service.describe();
  if (service.deploymentController?.type !== 'CODE_DEPLOY') {
    throw new Error(
      `${parts.service.where} uses the ${service.deploymentController?.type ?? 'ECS'} deployment controller; releasing it through CodeDeploy needs CODE_DEPLOY`,
    );
  }
  const id = await groupCall(parts, () => parts.deployments.active()).then(
    (active) => active ?? lastAttempted(parts),
  );
  const run = id ? await parts.deployments.read(id) : undefined;
  const active = run !== undefined && ACTIVE_STATUSES.includes(run.status);
  const revision = await revisionOf(parts, service, run);
  const taskSets = service.taskSets ?? [];
  const primaryArn =
    taskSets.find((set) => set.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition;
  if (!primaryArn) throw new Error(`${parts.service.where} runs no task set`);
  const primary = await parts.taskDefinitions.revision(primaryArn);
  const blueArn = active
    ? taskSets.map((set) => set.taskDefinition).find((arn) => arn && arn !== revision?.ref)
    : undefined;
  const original = blueArn ? await parts.taskDefinitions.revision(blueArn) : primary;
  const weight = active && run ? greenWeightOf(run) : 0;
  const traffic = split(primary, original, revision, weight);
  if (run && revision) traffic.deployment = deploymentStatus(run, revision, parts.steps, weight);
  const state: CodeDeployState = { service, traffic, active, original };
  if (run) state.run = run;
  if (revision) state.revision = revision;
  return state;
}

function split(
  primary: Revision,
  original: Revision,
  green: Revision | undefined,
  weight: number,
): TrafficState {
  if (!green || weight <= 0 || green.ref === original.ref) return { stable: primary, canaryWeight: 0 };
  if (weight >= 100) return { stable: green, canaryWeight: 0 };
  return { stable: original, canary: green, canaryWeight: weight };
}

/** The green (replacement) task set's share of production traffic, as CodeDeploy reports it. */
export function greenWeightOf(run: CodeDeployRun): number {
  const green = run.target?.ecsTarget?.taskSetsInfo?.find((set) => set.taskSetLabel === 'Green');
  return green?.trafficWeight ?? 0;
}

/** The task definition the deployment's AppSpec deploys (see `ecsAppSpec`). */
export function appSpecTaskDefinition(content: string | undefined): string | undefined {
  if (!content) return undefined;
  try {
    const spec = JSON.parse(content) as {
      Resources?: { TargetService?: { Properties?: { TaskDefinition?: unknown } } }[];
    };
    const arn = spec.Resources?.[0]?.TargetService?.Properties?.TaskDefinition;
    return typeof arn === 'string' ? arn : undefined;
  } catch {
    return undefined; // a YAML AppSpec from another tool: fall back to the ECS task sets
  }
}

async function revisionOf(
  parts: CodeDeployParts,
  service: Service,
  run: CodeDeployRun | undefined,
): Promise<Revision | undefined> {
  if (!run) return undefined;
  const fromSpec = appSpecTaskDefinition(run.appSpec);
  const fromTaskSets = service.taskSets?.find((set) => set.externalId === run.id)?.taskDefinition;
  const arn = fromSpec ?? fromTaskSets;
  return arn ? parts.taskDefinitions.revision(arn) : undefined;
}

/** The group's last attempted deployment: what current() reports once nothing is in flight. */
async function lastAttempted(parts: CodeDeployParts): Promise<string | undefined> {
  const { application, deploymentGroup } = parts.group;
  const command = new GetDeploymentGroupCommand({
    applicationName: application,
    deploymentGroupName: deploymentGroup,
  });
  const { deploymentGroupInfo } = await groupCall(parts, () =>
    aws(`read CodeDeploy deployment group ${deploymentGroup}`, () => parts.codeDeploy.send(command)),
  );
  return deploymentGroupInfo?.lastAttemptedDeployment?.deploymentId;
}

/** A missing application or deployment group means the workload is not set up for CodeDeploy here. */
async function groupCall<T>(parts: CodeDeployParts, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AwsCallError && error.kind === 'not-found') {
      const { application, deploymentGroup } = parts.group;
      throw new UnknownWorkloadError(
        parts.workload,
        `CodeDeploy deployment group ${deploymentGroup} of application ${application}`,
      );
    }
    throw error;
  }
}
