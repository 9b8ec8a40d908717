import { errorText } from '../errors/error-text';
import { LedgerError } from './ledger';

/** The fields of Octokit's `RequestError` the ledger reads; a thrown value without them is a local failure. */
interface HttpFailure {
  status: number;
  response?: { data?: unknown };
}

/**
 * A failed GitHub request as a `LedgerError` that says what could not be recorded, the HTTP status and
 * GitHub's own message, and what to do when the cause is a known one (a token without `deployments: write`).
 */
export function requestFailure(what: string, repository: string, error: unknown): LedgerError {
  const where = `the GitHub Deployments of ${repository}`;
  if (isTimeout(error))
    return new LedgerError(`could not ${what} in ${where}: GitHub did not answer in time`);
  if (!isHttpFailure(error) || error.response === undefined) {
    return new LedgerError(`could not ${what} in ${where}: no answer from GitHub (${errorText(error)})`);
  }
  const message = githubMessage(error.response.data) ?? errorText(error);
  return new LedgerError(
    `could not ${what} in ${where}: HTTP ${error.status} ${message}${hint(error.status, message)}`,
  );
}

function hint(status: number, message: string): string {
  if (status === 403 && /not accessible by integration/i.test(message)) {
    return '; the job needs `permissions: deployments: write` for its GITHUB_TOKEN';
  }
  if (status === 401) return '; the token is missing, expired or revoked';
  if (status === 404) return '; the repository does not exist or the token cannot see it';
  return '';
}

/** GitHub's `message`, with the validation errors of a 422 when it gives them. */
function githubMessage(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return typeof data === 'string' && data ? data : undefined;
  const { message, errors } = data as { message?: unknown; errors?: unknown };
  if (typeof message !== 'string') return undefined;
  if (!Array.isArray(errors) || errors.length === 0) return message;
  return `${message} (${errors.map(describeValidationError).join('; ')})`;
}

function describeValidationError(error: unknown): string {
  if (typeof error === 'string') return error;
  const { field, code, message } = (error ?? {}) as { field?: unknown; code?: unknown; message?: unknown };
  if (typeof message === 'string') return message;
  return [field, code].filter((part) => typeof part === 'string').join(' ') || JSON.stringify(error);
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return typeof error === 'object' && error !== null && typeof (error as HttpFailure).status === 'number';
}

/** A request our own timeout stopped: Octokit passes the abort on as is, or wraps it (status 500, no response). */
function isTimeout(error: unknown): boolean {
  const aborted = (value: unknown) =>
    value instanceof Error && (value.name === 'TimeoutError' || value.name === 'AbortError');
  return aborted(error) || (error instanceof Error && aborted(error.cause));
}
