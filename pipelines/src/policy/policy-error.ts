/** One problem in a policy file, located precisely enough for an editor to jump to it. */
export interface PolicyIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the offending field ("environments.production.strategy"), or "" for the file. */
  field: string;
  message: string;
}

function formatIssue(issue: PolicyIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.field ? `${where}: ${issue.field}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** A policy that cannot be used. `issues` lists every problem found, first one first in the file. */
export class PolicyError extends Error {
  constructor(readonly issues: readonly PolicyIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'PolicyError';
  }
}
