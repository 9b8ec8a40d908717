import type { Capabilities } from '../targets/capabilities';
import { formatDuration } from '../time/duration';

/**
 * What the platform's own schedule does not let Tollgate do, in words for the report: a platform-driven
 * release keeps the invariant "no traffic moves past a step whose gates have not passed" only as far
 * as these allow.
 */
export function platformLimits(capabilities: Capabilities): string[] {
  if (capabilities.driver === 'engine') {
    return capabilities.holdMs === Number.POSITIVE_INFINITY
      ? []
      : [
          `A held step waits at most ${formatDuration(capabilities.holdMs)}; after that the platform (${capabilities.description}) rolls back by itself.`,
        ];
  }
  const limits = [
    `${capabilities.description}: Tollgate judges every step and can stop the deployment, but cannot hold or extend a step.`,
  ];
  if (capabilities.decisionLeadMs > 0) {
    limits.push(
      `Each step was decided ${formatDuration(capabilities.decisionLeadMs)} before the platform's own next shift; a step still undecided then was rolled back.`,
    );
  }
  if (capabilities.judgesAfterReplace) {
    limits.push(
      "The new version takes all traffic before it is judged, against the stable version's traffic in the same length of time before the release (not the same window: a shift in load between the two shows as a difference).",
    );
  }
  if (!capabilities.stoppable) {
    limits.push(
      'A deployment cannot be stopped once started: a failing gate rolls back by deploying the stable revision again.',
    );
  }
  limits.push(
    'If Tollgate stops watching (a killed job), the platform carries on with its schedule; the next run reconciles.',
  );
  return limits;
}
