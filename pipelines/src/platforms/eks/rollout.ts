import type { V1Deployment } from '@kubernetes/client-node';
import type { Clock } from '../../time/clock';
import { formatDuration } from '../../time/duration';

/** Where a Deployment's rollout stands, judged the way `kubectl rollout status` judges it. */
export type RolloutState = { done: true } | { done: false; failed: boolean; reason: string };

export function rolloutState(deployment: V1Deployment): RolloutState {
  const { metadata, spec, status } = deployment;
  if ((metadata?.generation ?? 0) > (status?.observedGeneration ?? 0)) {
    return waiting('the Deployment controller has not observed the change yet');
  }
  const progressing = status?.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      done: false,
      failed: true,
      reason: `${progressing.reason}: ${progressing.message ?? ''}`.trim(),
    };
  }
  const desired = spec?.replicas ?? 1;
  const updated = status?.updatedReplicas ?? 0;
  const available = status?.availableReplicas ?? 0;
  if (updated < desired)
    return waiting(`${updated} of ${desired} replicas updated${replicaFailure(deployment)}`);
  if ((status?.replicas ?? 0) > updated) {
    return waiting(`${(status?.replicas ?? 0) - updated} old replicas are pending termination`);
  }
  if (available < updated) {
    return waiting(`${available} of ${updated} updated replicas available${replicaFailure(deployment)}`);
  }
  return { done: true };
}

function waiting(reason: string): RolloutState {
  return { done: false, failed: false, reason };
}

/** Why the controller cannot create pods (quota, admission), which otherwise only shows as slowness. */
function replicaFailure(deployment: V1Deployment): string {
  const failure = deployment.status?.conditions?.find(
    (condition) => condition.type === 'ReplicaFailure' && condition.status === 'True',
  );
  return failure ? ` (${failure.reason}: ${failure.message})` : '';
}

export interface RolloutLimits {
  /** How long a rollout may take before the change is given up (a failure, not a gate). */
  timeoutMs: number;
  pollMs: number;
}

/**
 * Waits until `deployment` has rolled out, reading it again every `pollMs`, for at most `timeoutMs`, or
 * until the Deployment controller reports its progress deadline exceeded. `stillWanted` throws when a
 * later call has taken over, so an abandoned wait never goes on to move traffic.
 */
export async function waitForRollout(
  deployment: V1Deployment,
  read: () => Promise<V1Deployment>,
  options: { clock: Clock; limits: RolloutLimits; what: string; stillWanted: () => void },
): Promise<void> {
  const { clock, limits, what, stillWanted } = options;
  const deadline = clock.now() + limits.timeoutMs;
  let state = rolloutState(deployment);
  while (!state.done) {
    const where = `${deployment.metadata?.namespace}/${deployment.metadata?.name}`;
    if (state.failed || clock.now() >= deadline) {
      const within = state.failed ? '' : ` within ${formatDuration(limits.timeoutMs)}`;
      throw new Error(
        `${what} did not complete${within}: ${state.reason}. Its pods are not becoming ready; see ` +
          `\`kubectl -n ${deployment.metadata?.namespace} describe deployment ${deployment.metadata?.name}\` ` +
          `(Deployment ${where})`,
      );
    }
    await clock.sleep(Math.min(limits.pollMs, Math.max(0, deadline - clock.now())));
    stillWanted();
    state = rolloutState(await read());
  }
}
