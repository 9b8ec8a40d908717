import { localActionsBeforeBundle } from './checks/bundled-before-use';
import { persistedCheckoutCredentials } from './checks/checkout-credentials';
import { localActionInputProblems } from './checks/local-action-inputs';
import { topLevelWritePermissions, unneededWritePermissions } from './checks/permissions';
import { unpinnedActions } from './checks/pinned-actions';
import { unsafeReleaseConcurrency } from './checks/release-concurrency';
import { expressionsInRun } from './checks/run-expressions';
import type { WorkflowDocument } from './workflow-document';

/** What a check may read besides the workflow: the repository's workflows by file name, and its root. */
export interface CheckContext {
  readonly workflows: ReadonlyMap<string, WorkflowDocument>;
  readonly root: string;
}

/** The project's rules for workflows, beyond what GitHub's parser accepts; each returns its findings. */
export const WORKFLOW_CHECKS: Readonly<
  Record<string, (workflow: WorkflowDocument, context: CheckContext) => string[]>
> = {
  'third-party actions pinned to a commit SHA': (workflow) => unpinnedActions(workflow),
  'no top-level write permissions': (workflow) => topLevelWritePermissions(workflow),
  'id-token and deployments write only where used': (workflow, { workflows }) =>
    unneededWritePermissions(workflow, workflows),
  'no expression inside run': (workflow) => expressionsInRun(workflow),
  'checkout does not persist credentials': (workflow) => persistedCheckoutCredentials(workflow),
  'local actions given only their declared inputs': (workflow, { root }) =>
    localActionInputProblems(workflow, root),
  'local actions used after npm ci and npm run bundle': (workflow) => localActionsBeforeBundle(workflow),
  'releases never cancelled, one per workload environment': (workflow) => unsafeReleaseConcurrency(workflow),
};
