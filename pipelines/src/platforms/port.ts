import type { Step } from '../plan/shape';
import type { Capabilities } from '../targets/capabilities';

/**
 * A release version as the platform holds it. `version` is what traces are annotated with and what the
 * ledger and reports name ("1.4.0"); `ref` is the platform's own handle for it (a Lambda version number,
 * a task-definition ARN, an image digest).
 */
export interface Revision {
  version: string;
  ref: string;
}

/** Where the new version's code comes from. The in-memory platform needs none. */
export type ArtifactSource =
  | { kind: 'zip'; path: string }
  | { kind: 's3'; bucket: string; key: string; versionId?: string }
  | { kind: 'image'; uri: string };

export interface Artifact {
  version: string;
  source?: ArtifactSource;
}

/** A deployment that the platform runs on its own schedule (CodeDeploy, App Runner), as last read. */
export interface DeploymentStatus {
  /** The platform's id for it: CodeDeploy deployment id, App Runner operation id. */
  id: string;
  revision: Revision;
  state: 'running' | 'succeeded' | 'stopped' | 'failed';
  /** Index into the steps it was started with that traffic is at now; -1 before it starts shifting. */
  stepIndex: number;
  /** When the platform will next move traffic by itself, while running. */
  nextShiftAt?: number;
  /** Why it stopped or failed, in the platform's words. */
  reason?: string;
}

/** What a platform is serving right now. Weights are percentages of traffic on the canary. */
export interface TrafficState {
  stable: Revision;
  /** The revision receiving canary traffic, if a release is under way. */
  canary?: Revision;
  /** 0..100: share of traffic on `canary`; 0 when there is none. */
  canaryWeight: number;
  /** The deployment in flight or last run, for platforms that run their own schedule. */
  deployment?: DeploymentStatus;
}

interface PlatformBase {
  readonly workload: string;
  readonly capabilities: Capabilities;
  current(): Promise<TrafficState>;
  /**
   * Stages a revision without sending it traffic and returns its identity. Preparing the same version
   * again returns the same revision.
   */
  prepare(artifact: Artifact): Promise<Revision>;
  /** Makes `revision` the stable one at 100%; done already if it is. */
  promote(revision: Revision): Promise<void>;
  /**
   * Sends all traffic back to the stable revision and drops the canary (stopping any deployment in
   * flight). With `to`, also when `to` is no longer stable because the platform finished a deployment
   * on its own: `to` is made stable again.
   */
  rollback(to?: Revision): Promise<void>;
}

/** Tollgate sets every weight: Lambda alias routing, EKS ingress weights, ECS deployments paused by hooks. */
export interface EngineDrivenPlatform extends PlatformBase {
  readonly driver: 'engine';
  /** Sends `weight`% of traffic to `revision`, the rest to stable. */
  shift(revision: Revision, weight: number): Promise<void>;
}

/** The platform runs its own schedule (CodeDeploy, App Runner); Tollgate watches, judges and can stop it. */
export interface PlatformDrivenPlatform extends PlatformBase {
  readonly driver: 'platform';
  /**
   * Starts a deployment of `revision` through `steps` (the plan the policy agreed with the platform's
   * configuration). If a deployment of this revision is already running, returns it instead.
   */
  start(revision: Revision, steps: readonly Step[]): Promise<DeploymentStatus>;
}

/**
 * One workload on one compute platform. Every method is idempotent and safe to call again after a
 * crash, because the truth about a release lives in the platform, not in the process driving it.
 */
export type Platform = EngineDrivenPlatform | PlatformDrivenPlatform;

export function describeTraffic(state: TrafficState): string {
  if (!state.canary || state.canaryWeight === 0) return `${state.stable.version} at 100%`;
  const stable = Number((100 - state.canaryWeight).toFixed(2));
  return `${state.stable.version} at ${stable}%, ${state.canary.version} at ${state.canaryWeight}%`;
}

/** The platform has no such workload: bad input, not a transient fault. */
export class UnknownWorkloadError extends Error {
  constructor(workload: string, where: string) {
    super(`workload "${workload}" not found on ${where}`);
    this.name = 'UnknownWorkloadError';
  }
}
