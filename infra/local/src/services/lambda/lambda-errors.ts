import { AwsServiceError } from '../service';

/**
 * Lambda's own errors, with the names the SDK declares and the messages Lambda sends. Lambda adds
 * `Type: "User"` to the errors a caller caused.
 */

export function functionNotFound(arn: string): AwsServiceError {
  return new AwsServiceError('ResourceNotFoundException', `Function not found: ${arn}`, 404, {
    Type: 'User',
  });
}

export function aliasNotFound(aliasArn: string): AwsServiceError {
  return new AwsServiceError('ResourceNotFoundException', `Cannot find alias arn: ${aliasArn}`, 404, {
    Type: 'User',
  });
}

export function aliasExists(aliasArn: string): AwsServiceError {
  return new AwsServiceError('ResourceConflictException', `Alias already exists: ${aliasArn}`, 409, {
    Type: 'User',
  });
}

/** An update or a publish while the last update of $LATEST is still in progress. */
export function updateInProgress(arn: string): AwsServiceError {
  return new AwsServiceError(
    'ResourceConflictException',
    `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`,
    409,
    { Type: 'User' },
  );
}

export function revisionMismatch(): AwsServiceError {
  return new AwsServiceError(
    'PreconditionFailedException',
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    412,
    { Type: 'User' },
  );
}

export function invalidParameter(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterValueException', message, 400, { Type: 'User' });
}

/**
 * A member outside its documented range or pattern. Lambda answers these with ValidationException, an
 * error its SDK does not declare (the client raises it as a LambdaServiceException of that name).
 */
export function validationFailed(value: string, member: string, constraint: string): AwsServiceError {
  return new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
    400,
  );
}

export function throttled(): AwsServiceError {
  return new AwsServiceError('TooManyRequestsException', 'Rate Exceeded.', 429, {
    Type: 'User',
    Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
  });
}
