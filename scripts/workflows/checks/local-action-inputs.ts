import { actionContract } from '../action-contract';
import type { WorkflowDocument } from '../workflow-document';
import { REPOSITORY_ROOT, stepsOf } from '../workflow-document';

/**
 * Steps using a local action (`uses: ./actions/x`) that has no action.yml, gives it an input its
 * action.yml does not declare (the runner only warns, and the value is lost), or leaves out a required one.
 */
export function localActionInputProblems(workflow: WorkflowDocument, root = REPOSITORY_ROOT): string[] {
  return stepsOf(workflow).flatMap(({ where, step }) => {
    if (!step.uses?.startsWith('./')) return [];
    const folder = step.uses.slice(2).replace(/\/$/, '');
    const contract = actionContract(root, folder);
    const at = `${workflow.file} ${where}`;
    if (!contract) return [`${at}: ${step.uses} has no action.yml`];
    const given = Object.keys(step.with ?? {});
    return [
      ...given
        .filter((input) => !contract.inputs.includes(input))
        .map(
          (input) => `${at}: ${folder} declares no input "${input}" (it takes ${contract.inputs.join(', ')})`,
        ),
      ...contract.required
        .filter((input) => !given.includes(input))
        .map((input) => `${at}: ${folder} requires input "${input}"`),
    ];
  });
}
