import { expect } from 'vitest';
import { unjudgedAdvances } from '../../scenarios/invariant';
import type { LambdaRelease } from './release-harness';

export const MINUTE = 60_000;
export const FN = 'shop-production-orders';
export const ALIAS = { FunctionName: FN, Name: 'live' };
export const CONFIGURE = {
  FunctionName: FN,
  Environment: { Variables: { LOG_LEVEL: 'INFO', RELEASE_VERSION: 'v2' } },
  RevisionId: expect.any(String),
};
export const UPLOAD = { FunctionName: FN, S3Bucket: 'shop-artifacts', S3Key: 'orders/v2.zip' };
export const PUBLISH = {
  FunctionName: FN,
  Description: 'Tollgate release v2',
  CodeSha256: expect.any(String),
  RevisionId: expect.any(String),
};

/** What every release checks once it ended: valid requests, and no traffic past an unjudged step. */
export function finished(run: LambdaRelease, sent?: Set<string>): LambdaRelease {
  run.world.expectValidRequests();
  for (const operation of run.world.operations()) sent?.add(operation);
  expect(unjudgedAdvances(run.history(), run.result.record)).toEqual([]);
  return run;
}

/** The requests that change something, in order, with their exact inputs. */
export function changes(run: LambdaRelease) {
  const changing = [
    'UpdateFunctionConfiguration',
    'UpdateFunctionCode',
    'PublishVersion',
    'UpdateAlias',
    'CreateDeployment',
    'StopDeployment',
  ];
  return run.world
    .sent()
    .filter((request) => changing.includes(request.operation))
    .map(({ operation, input }) => ({ operation, input }));
}

export const nonPoll = (run: LambdaRelease) =>
  run.events.filter((event) => event.type !== 'poll').map((event) => event.type);

/** The reads and writes of staging v2 (after the release read the alias and v1 once), repeats collapsed. */
export const STAGE = [
  'lambda:GetAlias',
  'lambda:ListVersionsByFunction',
  'lambda:GetFunctionConfiguration',
  'lambda:UpdateFunctionConfiguration',
  'lambda:GetFunction',
  'lambda:UpdateFunctionCode',
  'lambda:GetFunction',
  'lambda:PublishVersion',
];
