import type { JsonObject } from './merge-patches';
import { kubernetesTime } from './object-store';

/** Where a Deployment's rollout stands, for its Progressing condition. */
export type Progress = 'created' | 'progressing' | 'complete' | 'deadline-exceeded';

export interface StatusInput {
  generation: number;
  desired: number;
  maxUnavailable: number;
  newReplicaSet: string;
  /** Pods of every ReplicaSet (terminating ones excluded), and of the new one. */
  pods: { total: number; ready: number };
  updated: { total: number; ready: number };
  progress: Progress;
  now: number;
  previous: JsonObject[];
}

/**
 * The status the Deployment controller writes: counts (zero ones left out, as the API omits them), and the
 * Available and Progressing conditions with the reasons and messages the real controller uses, each keeping
 * its lastTransitionTime while its status stays the same.
 */
export function deploymentStatus(input: StatusInput): JsonObject {
  const { pods, updated, desired } = input;
  const status: JsonObject = { observedGeneration: input.generation };
  const counts: [string, number][] = [
    ['replicas', pods.total],
    ['updatedReplicas', updated.total],
    ['readyReplicas', pods.ready],
    ['availableReplicas', pods.ready],
    ['unavailableReplicas', Math.max(0, desired - pods.ready)],
  ];
  for (const [field, count] of counts) if (count > 0) status[field] = count;
  status.conditions = [available(input), progressing(input)].map((next) => keepTransition(next, input));
  return status;
}

export function isComplete(input: Pick<StatusInput, 'desired' | 'pods' | 'updated'>): boolean {
  const { desired, pods, updated } = input;
  return updated.total === desired && pods.total === desired && pods.ready === desired;
}

function available({ pods, desired, maxUnavailable }: StatusInput): JsonObject {
  return pods.ready >= desired - maxUnavailable
    ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
    : condition(
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
      );
}

function progressing({ progress, newReplicaSet }: StatusInput): JsonObject {
  const rs = `ReplicaSet "${newReplicaSet}"`;
  switch (progress) {
    case 'complete':
      return condition('Progressing', 'True', 'NewReplicaSetAvailable', `${rs} has successfully progressed.`);
    case 'deadline-exceeded':
      return condition(
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `${rs} has timed out progressing.`,
      );
    case 'created':
      return condition(
        'Progressing',
        'True',
        'NewReplicaSetCreated',
        `Created new replica set "${newReplicaSet}"`,
      );
    default:
      return condition('Progressing', 'True', 'ReplicaSetUpdated', `${rs} is progressing.`);
  }
}

function condition(type: string, status: string, reason: string, message: string): JsonObject {
  return { type, status, reason, message };
}

function keepTransition(next: JsonObject, { previous, now }: StatusInput): JsonObject {
  const before = previous.find((c) => c.type === next.type);
  const at = kubernetesTime(now);
  const same = before?.reason === next.reason && before?.message === next.message;
  return {
    ...next,
    lastUpdateTime: same ? (before?.lastUpdateTime ?? at) : at,
    lastTransitionTime: before?.status === next.status ? (before?.lastTransitionTime ?? at) : at,
  };
}
