import { isObject, type JsonObject } from './merge-patches';

/** A ReplicaSet as the rolling update sees it: how many pods it should have and how many are available. */
export interface ReplicaSetCounts {
  /** spec.replicas */
  replicas: number;
  available: number;
  /** Not available (starting, crashed): the first an old ReplicaSet gives up. */
  unavailable: number;
}

/** maxSurge / maxUnavailable resolved against the desired replicas, as the Deployment controller does. */
export interface RollingLimits {
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * The strategy's limits: an int or a percentage (surge rounded up, unavailability down), 25% each by
 * default, and never both zero (then one pod may be unavailable). `Recreate` is a surge of 0 and every old
 * pod unavailable at once.
 */
export function rollingLimits(spec: JsonObject, replicas: number): RollingLimits {
  const strategy = isObject(spec.strategy) ? spec.strategy : {};
  if (strategy.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
  const rolling = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const maxSurge = resolve(rolling.maxSurge, replicas, Math.ceil);
  const maxUnavailable = resolve(rolling.maxUnavailable, replicas, Math.floor);
  if (maxSurge === 0 && maxUnavailable === 0) return { maxSurge, maxUnavailable: 1 };
  return { maxSurge, maxUnavailable };
}

function resolve(value: unknown, replicas: number, round: (n: number) => number): number {
  if (typeof value === 'number') return value;
  const percent = typeof value === 'string' && /^\d+%$/.test(value) ? Number(value.slice(0, -1)) : 25;
  return round((percent * replicas) / 100);
}

/**
 * One step of the rolling update: the new ReplicaSet grows while all pods stay within replicas + maxSurge,
 * and old ones shrink (their unavailable pods first) while at least replicas - maxUnavailable stay available,
 * the new ReplicaSet's own unavailable pods counted against that. Returns the new spec.replicas of each, old
 * ones oldest first as given.
 */
export function rollingStep(
  desired: number,
  limits: RollingLimits,
  current: ReplicaSetCounts,
  old: readonly ReplicaSetCounts[],
): { current: number; old: number[] } {
  let next = Math.min(current.replicas, desired);
  const oldReplicas = old.map((rs) => rs.replicas);
  const total = () => next + oldReplicas.reduce((sum, n) => sum + n, 0);
  const room = desired + limits.maxSurge - total();
  if (room > 0 && next < desired) next += Math.min(room, desired - next);

  const minAvailable = desired - limits.maxUnavailable;
  const newUnavailable = Math.max(0, next - current.available);
  let budget = total() - minAvailable - newUnavailable;
  if (budget <= 0) return { current: next, old: oldReplicas };
  // Unhealthy old pods go first: removing them costs no availability.
  old.forEach((rs, index) => {
    const drop = Math.max(0, Math.min(rs.unavailable, budget, oldReplicas[index] as number));
    oldReplicas[index] = (oldReplicas[index] as number) - drop;
    budget -= drop;
  });
  const availableNow = current.available + old.reduce((sum, rs) => sum + rs.available, 0);
  let scaleDown = availableNow - minAvailable;
  old.forEach((_rs, index) => {
    if (scaleDown <= 0) return;
    const drop = Math.max(0, Math.min(scaleDown, oldReplicas[index] as number));
    oldReplicas[index] = (oldReplicas[index] as number) - drop;
    scaleDown -= drop;
  });
  return { current: next, old: oldReplicas };
}
