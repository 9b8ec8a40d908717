import { ApiException } from '@kubernetes/client-node';
import type { AwsFailure } from '../../aws/aws-error';
import { errorText } from '../../errors/error-text';

/** A Kubernetes API call that failed, saying what Tollgate was doing and, where it helps, what to do. */
export class KubernetesCallError extends Error {
  readonly kind: AwsFailure;
  /** The HTTP status the API server answered with; absent when it could not be reached. */
  readonly status?: number;

  constructor(what: string, cause: unknown) {
    const status = cause instanceof ApiException ? cause.code : undefined;
    const kind = kubernetesFailure(cause);
    super(`could not ${what}: ${describeFailure(cause)}${ADVICE[kind] ?? ''}`, { cause });
    this.name = 'KubernetesCallError';
    this.kind = kind;
    if (status !== undefined) this.status = status;
  }
}

const ADVICE: Partial<Record<AwsFailure, string>> = {
  'access-denied':
    ". Tollgate's role needs the Kubernetes access in platforms/eks/permissions.ts (KUBERNETES_ACCESS) " +
    'in the workload namespace, through an EKS access entry or RBAC binding',
};

const KIND_BY_STATUS: Record<number, AwsFailure> = {
  400: 'invalid',
  401: 'access-denied',
  403: 'access-denied',
  404: 'not-found',
  409: 'conflict',
  415: 'invalid',
  422: 'invalid',
  429: 'throttled',
};

export function kubernetesFailure(error: unknown): AwsFailure {
  if (error instanceof ApiException) {
    return KIND_BY_STATUS[error.code] ?? (error.code >= 500 ? 'unavailable' : 'other');
  }
  // node-fetch's FetchError for a refused or reset connection, a DNS failure or a timeout.
  return error instanceof Error && error.name === 'FetchError' ? 'unavailable' : 'other';
}

/** "404 NotFound: deployments.apps "x" not found", from the Status object the API server answers with. */
function describeFailure(error: unknown): string {
  if (!(error instanceof ApiException)) return errorText(error);
  const status = parseStatus(error.body);
  if (error.code === 401) return '401 Unauthorized: the API server rejected the credentials';
  return `${error.code} ${status.reason ?? 'error'}: ${status.message ?? 'no message'}`;
}

function parseStatus(body: unknown): { reason?: string; message?: string } {
  try {
    const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : body;
    if (parsed && typeof parsed === 'object') return parsed as { reason?: string; message?: string };
  } catch {
    // Not JSON (a proxy's HTML page): the status code alone has to do.
  }
  return {};
}

/** Attempts for a throttled or unavailable API server; a shift that fails once rolls the release back. */
const ATTEMPTS = 3;
const MAX_RETRY_AFTER_MS = 10_000;

/**
 * Runs one Kubernetes API call, retrying a throttled (429, the API server's priority and fairness) or
 * unavailable one twice, as the AWS SDK clients of `createAwsClients` do for AWS. Every call Tollgate
 * makes is a read or a patch that gives the same result when repeated, so a retry is safe.
 */
export async function kube<T>(
  what: string,
  call: () => Promise<T>,
  sleep: (ms: number) => Promise<void>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const kind = kubernetesFailure(error);
      const retryable = kind === 'throttled' || kind === 'unavailable';
      if (!retryable || attempt >= ATTEMPTS) throw new KubernetesCallError(what, error);
      await sleep(retryDelay(error, attempt));
    }
  }
}

function retryDelay(error: unknown, attempt: number): number {
  const header = error instanceof ApiException ? error.headers['retry-after'] : undefined;
  const seconds = header === undefined ? Number.NaN : Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  return 1000 * 2 ** (attempt - 1);
}
