import {
  ContinueServiceDeploymentCommand,
  type DeploymentConfiguration,
  type DeploymentLifecycleHookAction,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import { aws } from '../../aws/aws-error';
import type { EcsTarget } from '../../targets/manifest';
import { PAUSE_STAGE, pausesElsewhere } from './native-schedule';

/** Statuses of a service deployment that still holds or moves traffic (ServiceDeploymentStatus). */
const IN_FLIGHT: ServiceDeploymentStatus[] = [
  'PENDING',
  'IN_PROGRESS',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'STOP_REQUESTED',
];
const ROLLING_BACK: ReadonlySet<string> = new Set([
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'STOP_REQUESTED',
]);

/**
 * One ECS service deployment in the terms the adapter needs. `status` and `stage` are strings: the service
 * reports values its SDK enums do not list yet (lifecycleStage PRE_PRODUCTION_TRAFFIC_SHIFT).
 */
export interface ServiceDeploymentView {
  arn: string;
  status: string;
  stage?: string;
  /** The service revision being deployed, and those it replaces. */
  targetRevision?: string;
  sourceRevisions: string[];
  /** The target's share of production traffic, 0..100. */
  weight: number;
  /** The hook id of Tollgate's pause, while the deployment waits at it. */
  pausedAt?: string;
  rollingBack: boolean;
  reason?: string;
  configuration?: DeploymentConfiguration;
}

/** The ECS service-deployment calls of an ECS-native release of one service. */
export class ServiceDeployments {
  /** Service revisions never change: which task definition each one runs is read once. */
  private readonly revisions = new Map<string, string>();

  constructor(
    private readonly client: ECSClient,
    private readonly target: EcsTarget,
  ) {}

  /** The deployment still holding or moving traffic, if any: what an interrupted run left behind. */
  async inFlight(): Promise<ServiceDeploymentView | undefined> {
    const { clusterName, serviceName } = this.target;
    const command = new ListServiceDeploymentsCommand({
      cluster: clusterName,
      service: serviceName,
      status: IN_FLIGHT,
    });
    const { serviceDeployments } = await aws(`list the deployments of ECS service ${serviceName}`, () =>
      this.client.send(command),
    );
    const newest = [...(serviceDeployments ?? [])].sort(
      (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
    )[0];
    return newest?.serviceDeploymentArn ? this.describe(newest.serviceDeploymentArn) : undefined;
  }

  async describe(arn: string): Promise<ServiceDeploymentView> {
    const command = new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] });
    const { serviceDeployments, failures } = await aws(`read ECS service deployment ${arn}`, () =>
      this.client.send(command),
    );
    const [deployment] = serviceDeployments ?? [];
    if (!deployment) {
      const why = failures?.map((failure) => `${failure.reason}: ${failure.detail ?? ''}`).join('; ');
      throw new Error(`ECS could not describe service deployment ${arn}${why ? ` (${why})` : ''}`);
    }
    return viewOf(arn, deployment);
  }

  /** The task definition each of `revisions` (service revision ARNs) runs. */
  async taskDefinitions(revisions: readonly string[]): Promise<Map<string, string>> {
    const unknown = [...new Set(revisions)].filter((arn) => !this.revisions.has(arn));
    if (unknown.length > 0) {
      const command = new DescribeServiceRevisionsCommand({ serviceRevisionArns: unknown });
      const { serviceRevisions } = await aws(`read the service revisions of ${this.target.serviceName}`, () =>
        this.client.send(command),
      );
      for (const revision of serviceRevisions ?? [])
        if (revision.serviceRevisionArn && revision.taskDefinition)
          this.revisions.set(revision.serviceRevisionArn, revision.taskDefinition);
    }
    return this.revisions;
  }

  /** Answers Tollgate's pause: CONTINUE shifts the next step, ROLLBACK returns traffic to the source. */
  async answer(
    deployment: ServiceDeploymentView,
    hookId: string,
    action: DeploymentLifecycleHookAction,
  ): Promise<void> {
    const command = new ContinueServiceDeploymentCommand({
      serviceDeploymentArn: deployment.arn,
      hookId,
      action,
    });
    const what = action === 'CONTINUE' ? 'continue' : 'roll back';
    await aws(`${what} ECS service deployment ${deployment.arn} at its pause`, () =>
      this.client.send(command),
    );
  }

  /** Stops a deployment with ECS's rollback to the revisions it replaced. */
  async stop(deployment: ServiceDeploymentView): Promise<void> {
    const command = new StopServiceDeploymentCommand({
      serviceDeploymentArn: deployment.arn,
      stopType: 'ROLLBACK',
    });
    await aws(`stop ECS service deployment ${deployment.arn} with a rollback`, () =>
      this.client.send(command),
    );
  }
}

function viewOf(arn: string, deployment: ServiceDeployment): ServiceDeploymentView {
  const status = deployment.status ?? 'PENDING';
  const view: ServiceDeploymentView = {
    arn,
    status,
    // The source serving most production traffic first: the stable one, if the deployment replaces several.
    sourceRevisions: [...(deployment.sourceServiceRevisions ?? [])]
      .sort((a, b) => (b.requestedProductionTrafficWeight ?? 0) - (a.requestedProductionTrafficWeight ?? 0))
      .flatMap((source) => (source.arn ? [source.arn] : [])),
    weight: deployment.targetServiceRevision?.requestedProductionTrafficWeight ?? 0,
    rollingBack: ROLLING_BACK.has(status),
  };
  if (deployment.lifecycleStage) view.stage = deployment.lifecycleStage;
  if (deployment.targetServiceRevision?.arn) view.targetRevision = deployment.targetServiceRevision.arn;
  if (deployment.statusReason) view.reason = deployment.statusReason;
  if (deployment.deploymentConfiguration) view.configuration = deployment.deploymentConfiguration;
  const paused = tollgatePause(deployment);
  if (paused) view.pausedAt = paused;
  return view;
}

/**
 * The hook id of a PAUSE hook awaiting action that is Tollgate's: the deployment stands before a production
 * traffic shift, or the service pauses nowhere else. Another pause (someone's manual approval after the
 * test traffic shift, say) is not Tollgate's to answer.
 */
function tollgatePause(deployment: ServiceDeployment): string | undefined {
  if (deployment.status !== 'IN_PROGRESS') return undefined;
  const awaiting = (deployment.lifecycleHookDetails ?? []).find(
    (hook) => hook.targetType === 'PAUSE' && hook.status === 'AWAITING_ACTION' && hook.hookId,
  );
  if (!awaiting?.hookId) return undefined;
  const stage: string | undefined = deployment.lifecycleStage;
  const ours = stage === PAUSE_STAGE || !pausesElsewhere(deployment.deploymentConfiguration);
  return ours ? awaiting.hookId : undefined;
}
