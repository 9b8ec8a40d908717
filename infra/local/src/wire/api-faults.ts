import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { ApiFault, FaultPlan } from '../faults/fault-plan';

export type FaultOutcome = 'outage' | 'throttle' | 'serverError' | undefined;

export interface FaultDecision {
  /** Real milliseconds to wait before answering. */
  delayMs: number;
  outcome: FaultOutcome;
}

/**
 * Decides which API fault of the live plan hits one call. The plan is read on every call, so a test or
 * the control API may change it while the cloud runs. Shares are deterministic, not random: each fault
 * counts the calls it matches, and call n is hit when floor(n·share) > floor((n−1)·share), so a share
 * of 0.25 hits the 4th, 8th, 12th… matching call and a share of 1 hits every call. A fault object put in
 * the plan anew (PUT /_tollgate/faults) starts counting from zero. An outage wins over a throttle, a
 * throttle over a server error; delays of every matching fault add up.
 */
export function createFaultInjector(plan: FaultPlan, clock: ScaledClock) {
  const counts = new WeakMap<ApiFault, { throttle: number; serverError: number }>();

  const hit = (fault: ApiFault, kind: 'throttle' | 'serverError', share: number | undefined): boolean => {
    if (!share || share <= 0) return false;
    const count = counts.get(fault) ?? { throttle: 0, serverError: 0 };
    counts.set(fault, count);
    count[kind] += 1;
    const n = count[kind];
    return Math.floor(n * share) > Math.floor((n - 1) * share);
  };

  return (service: string, operation: string): FaultDecision => {
    let delayMs = 0;
    let outage = false;
    let throttle = false;
    let serverError = false;
    const now = clock.now();
    for (const fault of plan.api) {
      if (fault.service !== undefined && fault.service !== service) continue;
      if (fault.operation !== undefined && fault.operation !== operation) continue;
      delayMs += Math.max(0, fault.delayMs ?? 0);
      if (fault.outage && now >= fault.outage.from && now < fault.outage.to) outage = true;
      if (hit(fault, 'throttle', fault.throttleShare)) throttle = true;
      if (hit(fault, 'serverError', fault.serverErrorShare)) serverError = true;
    }
    const outcome: FaultOutcome = outage
      ? 'outage'
      : throttle
        ? 'throttle'
        : serverError
          ? 'serverError'
          : undefined;
    return { delayMs, outcome };
  };
}

export type FaultInjector = ReturnType<typeof createFaultInjector>;
