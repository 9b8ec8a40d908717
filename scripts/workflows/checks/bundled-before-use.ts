import type { WorkflowDocument } from '../workflow-document';

const INSTALL = /(^|\s)npm ci(\s|$)/m;
const BUNDLE = /(^|\s)npm run bundle(\s|$)/m;

/**
 * Local actions used before their bundles exist: the bundles (`actions/<name>/dist`) are not committed,
 * so a job must run `npm ci` and then `npm run bundle` before its first `uses: ./actions/<name>`.
 */
export function localActionsBeforeBundle(workflow: WorkflowDocument): string[] {
  return Object.entries(workflow.jobs).flatMap(([id, job]) => {
    const steps = job.steps ?? [];
    const install = steps.findIndex((step) => typeof step.run === 'string' && INSTALL.test(step.run));
    const bundle = steps.findIndex(
      (step, index) => index > install && typeof step.run === 'string' && BUNDLE.test(step.run),
    );
    return steps.flatMap((step, index) =>
      step.uses?.startsWith('./actions/') && (install < 0 || bundle < 0 || index < bundle)
        ? [
            `${workflow.file} jobs.${id}.steps[${index}]: ${step.uses} before npm ci and npm run bundle in the job`,
          ]
        : [],
    );
  });
}
