import { ActionInputError } from './action-input-error';
import { choiceInput, optionalInput } from './inputs';

export const LEDGER_KINDS = ['github', 'file'] as const;

/**
 * Where releases are recorded: GitHub Deployments of the repository the workflow runs in (what a
 * release manager reads, and what a rollback finds the previous release in), or a JSON-lines file.
 */
export type LedgerInputs =
  | { kind: 'file'; file: string }
  | {
      kind: 'github';
      token: string;
      repository: { owner: string; repo: string };
      sha: string;
      runId?: string;
      runUrl?: string;
      apiUrl: string;
    };

/** Reads `ledger`, `ledger-file` and `github-token`, and the repository from the runner's environment. */
export function readLedgerInputs(env: NodeJS.ProcessEnv): LedgerInputs {
  const kind = choiceInput('ledger', LEDGER_KINDS, 'github');
  if (kind === 'file') return { kind, file: optionalInput('ledger-file') ?? '.tollgate/ledger.jsonl' };
  const token = optionalInput('github-token');
  if (!token) {
    throw new ActionInputError(
      'input "github-token" is empty; the GitHub Deployments ledger needs a token with `deployments: write` (or set input "ledger" to "file")',
    );
  }
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new ActionInputError(
      `GITHUB_REPOSITORY is "${env.GITHUB_REPOSITORY ?? ''}", not <owner>/<repo>; the GitHub Deployments ledger needs it (or set input "ledger" to "file")`,
    );
  }
  const sha = env.GITHUB_SHA ?? '';
  if (!/^[0-9a-f]{40}$/.test(sha)) {
    throw new ActionInputError(`GITHUB_SHA is "${sha}", not a commit; a GitHub Deployment is made of one`);
  }
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  return {
    kind,
    token,
    repository: { owner, repo },
    sha,
    ...(env.GITHUB_RUN_ID
      ? { runId: env.GITHUB_RUN_ID, runUrl: `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` }
      : {}),
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
  };
}
