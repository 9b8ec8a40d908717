import { getOctokit } from '@actions/github';
import { errorText } from '@tollgate/pipelines/errors/error-text';
import type { EnvironmentReview } from '@tollgate/pipelines/report/report-context';
import type { LedgerInputs } from './ledger-inputs';

type GitHubLedger = Extract<LedgerInputs, { kind: 'github' }>;

/**
 * Who approved (or rejected) this workflow run's deployments to protected environments, from the run's
 * review history (`GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals`), for the report's "who
 * approved what". The release does not depend on it: a history that cannot be read is a warning and an
 * empty list, never a failed step.
 */
export async function readEnvironmentReviews(
  github: GitHubLedger,
  warn: (message: string) => void,
): Promise<EnvironmentReview[]> {
  if (!github.runId) return [];
  const octokit = getOctokit(github.token, { baseUrl: github.apiUrl });
  try {
    const { data } = await octokit.rest.actions.getReviewsForRun({
      ...github.repository,
      run_id: Number(github.runId),
      request: { signal: AbortSignal.timeout(15_000) },
    });
    return data.map((review) => ({
      by: review.user.login,
      state: review.state === 'rejected' ? 'rejected' : 'approved',
      environments: review.environments.flatMap((environment) =>
        environment.name ? [environment.name] : [],
      ),
      comment: review.comment,
    }));
  } catch (error) {
    warn(
      `could not read who approved this run's environments, so the report does not say: ${errorText(error)}`,
    );
    return [];
  }
}
