import type { WorkflowDocument } from './workflow-document';
import { stepsOf } from './workflow-document';

/** Every `uses:` of a workflow, steps' and jobs' (a reusable workflow call), with where it is. */
export function usesOf(workflow: WorkflowDocument): { where: string; uses: string }[] {
  const jobs = Object.entries(workflow.jobs).flatMap(([job, definition]) =>
    definition.uses ? [{ where: `jobs.${job}`, uses: definition.uses }] : [],
  );
  const steps = stepsOf(workflow).flatMap(({ where, step }) =>
    step.uses ? [{ where, uses: step.uses }] : [],
  );
  return [...jobs, ...steps];
}

/** Whether a step uses this action (`owner/repo` or `./actions/x`), at any ref. */
export function usesAction(uses: string | undefined, action: string): boolean {
  if (uses === undefined) return false;
  return action.startsWith('./') ? uses === action : uses.split('@')[0] === action;
}
