import { GitHubDeploymentsLedger } from '@tollgate/pipelines/ledger/github-deployments-ledger';
import type { Ledger } from '@tollgate/pipelines/ledger/ledger';
import type { LedgerInputs } from './ledger-inputs';

/** The GitHub Deployments ledger for `github`; for `file`, none: the backend opens its file ledger. */
export function openLedger(inputs: LedgerInputs): Ledger | undefined {
  if (inputs.kind === 'file') return undefined;
  return new GitHubDeploymentsLedger({
    token: inputs.token,
    baseUrl: inputs.apiUrl,
    owner: inputs.repository.owner,
    repo: inputs.repository.repo,
    ref: inputs.sha,
    ...(inputs.runUrl ? { logUrl: inputs.runUrl } : {}),
  });
}
