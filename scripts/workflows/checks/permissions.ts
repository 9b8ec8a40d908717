import type { Permissions, WorkflowDocument, WorkflowJob } from '../workflow-document';
import { calledWorkflowFile } from '../workflow-document';
import { usesAction } from '../workflow-uses';

/** The scopes granted `write` by a `permissions:` value (`write-all` grants every scope). */
function writeScopes(permissions: Permissions | undefined): string[] {
  if (permissions === undefined || permissions === 'read-all') return [];
  if (typeof permissions === 'string') return permissions === 'write-all' ? ['write-all'] : [];
  return Object.entries(permissions)
    .filter(([, access]) => access === 'write')
    .map(([scope]) => scope);
}

/**
 * A workflow whose top level grants any write, or says nothing (then the token gets the repository's
 * default, which may be write to everything). Jobs ask for what they need.
 */
export function topLevelWritePermissions(workflow: WorkflowDocument): string[] {
  if (workflow.permissions === undefined) {
    return [`${workflow.file}: no top-level permissions; set permissions: {} or read-only scopes`];
  }
  return writeScopes(workflow.permissions).map(
    (scope) =>
      `${workflow.file}: top-level permissions grant ${scope === 'write-all' ? scope : `${scope}: write`}`,
  );
}

/** The steps that use the OIDC token (`id-token`) or record GitHub Deployments (`deployments`). */
const NEEDS: Readonly<Record<string, readonly string[]>> = {
  'id-token': ['aws-actions/configure-aws-credentials'],
  deployments: ['./actions/deploy', './actions/rollback'],
};

/** Whether a job (or, for a reusable workflow call, any job of the called workflow) needs the scope. */
function jobNeeds(
  job: WorkflowJob,
  scope: string,
  workflows: ReadonlyMap<string, WorkflowDocument>,
): boolean {
  const called = calledWorkflowFile(job);
  if (called !== undefined) {
    const jobs = Object.values(workflows.get(called)?.jobs ?? {});
    return jobs.some((inner) => jobNeeds(inner, scope, workflows));
  }
  const actions = NEEDS[scope] ?? [];
  return (job.steps ?? []).some((step) => actions.some((action) => usesAction(step.uses, action)));
}

/**
 * `id-token: write` or `deployments: write` on a job that does not use them (no AWS credentials through
 * OIDC, no deploy or rollback action, nor a called workflow doing so), and `write-all` on any job.
 * `workflows` holds the repository's workflows by file name, for the reusable ones a job calls.
 */
export function unneededWritePermissions(
  workflow: WorkflowDocument,
  workflows: ReadonlyMap<string, WorkflowDocument>,
): string[] {
  return Object.entries(workflow.jobs).flatMap(([id, job]) =>
    writeScopes(job.permissions).flatMap((scope) => {
      if (scope === 'write-all') return [`${workflow.file} jobs.${id}: permissions write-all`];
      if (!(scope in NEEDS) || jobNeeds(job, scope, workflows)) return [];
      return [`${workflow.file} jobs.${id}: ${scope}: write but no step uses ${NEEDS[scope]?.join(' or ')}`];
    }),
  );
}
