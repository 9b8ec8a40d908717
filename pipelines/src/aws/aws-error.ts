import { errorText } from '../errors/error-text';

/** What kind of failure an AWS call had, so callers and readers can tell a throttle from a typo. */
export type AwsFailure =
  | 'throttled'
  | 'access-denied'
  | 'not-found'
  | 'invalid'
  | 'conflict'
  | 'unavailable'
  | 'other';

const KIND_BY_NAME: Record<string, AwsFailure> = {
  ThrottlingException: 'throttled',
  // CloudWatch's older query-protocol APIs (DescribeAlarms) still answer with this name.
  Throttling: 'throttled',
  ThrottledException: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',
  LimitExceededException: 'throttled',
  AccessDeniedException: 'access-denied',
  AccessDenied: 'access-denied',
  UnauthorizedOperation: 'access-denied',
  ResourceNotFoundException: 'not-found',
  ServiceNotFoundException: 'not-found',
  ClusterNotFoundException: 'not-found',
  ApplicationDoesNotExistException: 'not-found',
  DeploymentGroupDoesNotExistException: 'not-found',
  DeploymentDoesNotExistException: 'not-found',
  ValidationException: 'invalid',
  InvalidParameterValueException: 'invalid',
  InvalidParameterException: 'invalid',
  ResourceConflictException: 'conflict',
  PreconditionFailedException: 'conflict',
  ServiceException: 'unavailable',
  ServiceUnavailableException: 'unavailable',
  InternalFailure: 'unavailable',
};

/** An AWS call that failed, saying what Tollgate was doing: "could not shift alias live of X to version 42: …". */
export class AwsCallError extends Error {
  readonly kind: AwsFailure;
  /** The service's error name (`ThrottlingException`), or the thrown error's name. */
  readonly code: string;

  constructor(what: string, cause: unknown) {
    const code = cause instanceof Error ? cause.name : 'Error';
    super(`could not ${what}: ${code}: ${errorText(cause)}`, { cause });
    this.name = 'AwsCallError';
    this.code = code;
    this.kind = failureKind(cause);
  }
}

export function failureKind(error: unknown): AwsFailure {
  const name = error instanceof Error ? error.name : '';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return (
    KIND_BY_NAME[name] ??
    (status === 403
      ? 'access-denied'
      : status === 429
        ? 'throttled'
        : status && status >= 500
          ? 'unavailable'
          : 'other')
  );
}

/** Runs one AWS call; a failure becomes an AwsCallError that says what was being done. */
export async function aws<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new AwsCallError(what, error);
  }
}
