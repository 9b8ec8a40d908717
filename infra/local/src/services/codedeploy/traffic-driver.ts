import type { DeploymentTarget, ErrorCode } from '@aws-sdk/client-codedeploy';
import type { DeploymentRecord } from './codedeploy-store';

/** The deployment cannot go on for a reason of its target (tasks failing, a wrong alias): it fails. */
export class DeploymentFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** How a deployment moves traffic on its compute platform. */
export interface TrafficDriver {
  /** The lifecycle events of the platform, in order; `AllowTraffic` shifts production traffic. */
  readonly eventNames: readonly string[];
  /** Everything before traffic moves (ECS: the replacement task set); throws DeploymentFailure. */
  install(): Promise<void>;
  /** `percent` of production traffic on the new revision. */
  shift(percent: number): Promise<void>;
  /** All traffic moved: the new revision is the one the target runs. */
  complete(): Promise<void>;
  /** After the termination wait (ECS): the original revision's tasks go. */
  cleanUp(): Promise<void>;
  /** Rollback: all traffic back on the original revision, the new one's resources gone. */
  restore(): Promise<void>;
  /** GetDeploymentTarget's view, and the id ListDeploymentTargets lists. */
  readonly targetId: string;
  target(deployment: DeploymentRecord): DeploymentTarget;
}
