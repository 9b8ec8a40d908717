import { ThrottlingException } from '@aws-sdk/client-codedeploy';
import { LambdaServiceException, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { expect } from 'vitest';
import { PERMISSIONS as CODEDEPLOY_PERMISSIONS } from '../../../src/platforms/codedeploy/permissions';
import { PERMISSIONS as LAMBDA_PERMISSIONS } from '../../../src/platforms/lambda/permissions';
import type { LambdaWorld } from './world';

/** Lambda's throttle, as the SDK raises it once its retries are spent. */
export function throttledLambda(): Error {
  return new TooManyRequestsException({
    $metadata: { httpStatusCode: 429 },
    message: 'Rate exceeded',
    Reason: 'CallerRateLimitExceeded',
    Type: 'User',
  });
}

export function throttledCodeDeploy(): Error {
  return new ThrottlingException({ $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
}

/** IAM's refusal, which no service models: a 403 named AccessDeniedException. */
export function accessDenied(action: string, resource: string): Error {
  return new LambdaServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: `User: arn:aws:sts::123456789012:assumed-role/shop-production-deploy/tollgate is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  });
}

/** Collects the operations a test file's worlds were sent, to compare with what PERMISSIONS lists. */
export class SentOperations {
  private readonly seen = new Set<string>();

  record(world: LambdaWorld): void {
    for (const request of world.sent()) this.seen.add(`${request.service}:${request.operation}`);
  }

  /** Every operation sent is an IAM action one of the PERMISSIONS lists names. */
  expectAllListed(): void {
    const listed = new Set([...LAMBDA_PERMISSIONS, ...CODEDEPLOY_PERMISSIONS].map((entry) => entry.action));
    expect([...this.seen].filter((operation) => !listed.has(operation)).sort()).toEqual([]);
  }

  get operations(): ReadonlySet<string> {
    return this.seen;
  }
}
