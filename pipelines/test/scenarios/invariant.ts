import type { TrafficChange } from '../../src/platforms/memory-state';
import type { ReleaseRecord } from '../../src/record/record';

/**
 * The invariant every release keeps: no traffic moves past a step whose gates have not passed. Returns
 * each traffic change during the release that took its version beyond a weight before that step had
 * passed (or been approved); an empty list means the invariant held.
 */
export function unjudgedAdvances(history: readonly TrafficChange[], record: ReleaseRecord): string[] {
  const violations: string[] = [];
  for (const [index, next] of history.entries()) {
    const previous = history[index - 1];
    if (!previous || previous.canary !== record.toVersion || previous.weight === 0) continue;
    if (next.at < record.startedAt || next.at > (record.finishedAt ?? Number.POSITIVE_INFINITY)) continue;
    const promoted = next.stable === record.toVersion && next.canary === undefined;
    const advanced = next.canary === record.toVersion && next.weight > previous.weight;
    if (!promoted && !advanced) continue;
    const passed = record.steps.some(
      (step) =>
        step.weight === previous.weight &&
        (step.verdict === 'pass' || step.approvedBy !== undefined) &&
        step.endedAt <= next.at,
    );
    if (!passed)
      violations.push(
        `${previous.weight}% → ${promoted ? 'promoted' : `${next.weight}%`} at ${next.at} before its step passed`,
      );
  }
  return violations;
}
