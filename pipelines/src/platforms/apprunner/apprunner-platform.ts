import type { AppRunnerClient, OperationSummary } from '@aws-sdk/client-apprunner';
import type { Step } from '../../plan/shape';
import type { Capabilities } from '../../targets/capabilities';
import type { AppRunnerTarget } from '../../targets/manifest';
import type { Artifact, DeploymentStatus, PlatformDrivenPlatform, Revision, TrafficState } from '../port';
import {
  AppRunnerService,
  PREVIOUS_IMAGE_TAG,
  PREVIOUS_RELEASE_TAG,
  type ServiceState,
} from './apprunner-service';

/** Tags naming the revision an update is deploying, so a later run can tell whose operation is in flight. */
const TARGET_IMAGE_TAG = 'tollgate:target-image';
const TARGET_RELEASE_TAG = 'tollgate:target-release';

const DEPLOYING = new Set(['UPDATE_SERVICE', 'START_DEPLOYMENT']);
const RUNNING = new Set(['PENDING', 'IN_PROGRESS']);

export interface AppRunnerPlatformOptions {
  workload: string;
  target: AppRunnerTarget;
  capabilities: Capabilities;
  client: AppRunnerClient;
  /** Waits between reads while an update runs (App Runner updates take minutes). */
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  /** How long a rollback waits for App Runner, which cannot stop an update, before it says so. */
  maxWaitMs?: number;
}

/**
 * App Runner: no traffic splitting, so a release replaces the service in place with `UpdateService` and
 * App Runner switches traffic when the new instances are healthy. What the service ran before is kept in
 * its tags, so a rollback (another update, minutes long) and a later run's reconcile know where to return.
 */
export class AppRunnerPlatform implements PlatformDrivenPlatform {
  readonly driver = 'platform';
  readonly workload: string;
  readonly capabilities: Capabilities;
  private readonly service: AppRunnerService;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollMs: number;
  private readonly maxWaitMs: number;

  constructor(options: AppRunnerPlatformOptions) {
    this.workload = options.workload;
    this.capabilities = options.capabilities;
    this.service = new AppRunnerService(options.client, options.target.serviceName, options.workload);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.pollMs = options.pollMs ?? 10_000;
    this.maxWaitMs = options.maxWaitMs ?? 20 * 60_000;
  }

  async current(): Promise<TrafficState> {
    return trafficOf(await this.service.read());
  }

  /** App Runner stages nothing ahead: the revision is the image to deploy. */
  async prepare(artifact: Artifact): Promise<Revision> {
    if (artifact.source?.kind !== 'image') {
      throw new Error(
        `App Runner runs container images; ${this.workload} needs an image artifact, got ${artifact.source?.kind ?? 'none'}`,
      );
    }
    return { version: artifact.version, ref: artifact.source.uri };
  }

  async start(revision: Revision, _steps: readonly Step[]): Promise<DeploymentStatus> {
    const state = await this.service.read();
    const deployment = deploymentOf(state);
    if (deployment?.state === 'running') {
      if (deployment.revision.ref === revision.ref) return deployment;
      throw new Error(
        `App Runner service ${this.service.name} is busy with operation ${deployment.id}; it cannot be stopped, so wait for it to end`,
      );
    }
    if (state.image === revision.ref && state.release === revision.version) {
      return { id: state.latest?.Id ?? 'none', revision, state: 'succeeded', stepIndex: 0 };
    }
    await this.service.rememberPrevious(state);
    await this.tagTarget(state, revision);
    const id = await this.service.deploy(state, revision.ref, revision.version);
    return { id, revision, state: 'running', stepIndex: -1 };
  }

  async promote(revision: Revision): Promise<void> {
    const state = await this.service.read();
    const running = deploymentOf(state)?.state === 'running';
    if (running || state.image !== revision.ref) {
      throw new Error(
        `cannot confirm ${revision.version} on ${this.service.name}: it runs ${state.release} (${state.image})${running ? ', an update is in progress' : ''}`,
      );
    }
  }

  /** Waits out an update in flight (App Runner cannot stop one), then deploys `to` again if it is not what runs. */
  async rollback(to?: Revision): Promise<void> {
    let state = await this.settled();
    if (!to || (state.image === to.ref && state.release === to.version)) return;
    await this.service.deploy(state, to.ref, to.version);
    state = await this.settled();
    if (state.image !== to.ref || state.latest?.Status !== 'SUCCEEDED') {
      throw new Error(
        `App Runner could not deploy ${to.version} back to ${this.service.name}: operation ${state.latest?.Id} ${state.latest?.Status}`,
      );
    }
  }

  private async settled(): Promise<ServiceState> {
    let state = await this.service.read();
    for (let waited = 0; deploymentOf(state)?.state === 'running'; waited += this.pollMs) {
      if (waited >= this.maxWaitMs) {
        throw new Error(
          `App Runner operation ${state.latest?.Id} on ${this.service.name} still runs after ${this.maxWaitMs / 60_000} min`,
        );
      }
      await this.sleep(this.pollMs);
      state = await this.service.read();
    }
    return state;
  }

  private async tagTarget(state: ServiceState, revision: Revision): Promise<void> {
    await this.service.tag(state.arn, {
      [TARGET_IMAGE_TAG]: revision.ref,
      [TARGET_RELEASE_TAG]: revision.version,
    });
  }
}

/** The service's latest deploying operation as the port sees it, if there is one. */
function deploymentOf(state: ServiceState): DeploymentStatus | undefined {
  const operation = state.latest;
  if (!operation?.Id || !DEPLOYING.has(operation.Type ?? '')) return undefined;
  const revision = {
    version: state.tags[TARGET_RELEASE_TAG] ?? state.release,
    ref: state.tags[TARGET_IMAGE_TAG] ?? state.image,
  };
  const status = operation.Status ?? 'PENDING';
  if (RUNNING.has(status)) return { id: operation.Id, revision, state: 'running', stepIndex: -1 };
  if (status === 'SUCCEEDED') return { id: operation.Id, revision, state: 'succeeded', stepIndex: 0 };
  return { id: operation.Id, revision, state: 'failed', stepIndex: -1, reason: failure(operation) };
}

function failure(operation: OperationSummary): string {
  const status = operation.Status ?? 'FAILED';
  if (status === 'ROLLBACK_SUCCEEDED')
    return 'App Runner rolled the update back (the new instances did not become healthy)';
  if (status === 'ROLLBACK_IN_PROGRESS') return 'App Runner is rolling the update back';
  if (status === 'ROLLBACK_FAILED') return 'App Runner could not roll the update back';
  return `the update ${status.toLowerCase()}`;
}

function trafficOf(state: ServiceState): TrafficState {
  const desired = { version: state.release, ref: state.image };
  const previousImage = state.tags[PREVIOUS_IMAGE_TAG];
  const previous = previousImage
    ? { version: state.tags[PREVIOUS_RELEASE_TAG] ?? 'unknown', ref: previousImage }
    : undefined;
  const deployment = deploymentOf(state);
  // While an update runs the old instances still serve; App Runner switches all traffic when it ends.
  const stable = deployment?.state === 'running' ? (previous ?? desired) : desired;
  return { stable, canaryWeight: 0, ...(deployment ? { deployment } : {}) };
}
