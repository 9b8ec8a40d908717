import type { WorkflowDocument } from '../workflow-document';
import { stepsOf } from '../workflow-document';
import { usesAction } from '../workflow-uses';

/**
 * `actions/checkout` without `persist-credentials: false`: it writes the job's token into .git/config,
 * where every later step (npm install scripts included) can read it.
 */
export function persistedCheckoutCredentials(workflow: WorkflowDocument): string[] {
  return stepsOf(workflow).flatMap(({ where, step }) => {
    if (!usesAction(step.uses, 'actions/checkout')) return [];
    const persist = step.with?.['persist-credentials'];
    return persist === false || persist === 'false'
      ? []
      : [`${workflow.file} ${where}: actions/checkout without persist-credentials: false`];
  });
}
