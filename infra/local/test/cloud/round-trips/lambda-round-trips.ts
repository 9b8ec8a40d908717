import { createHash } from 'node:crypto';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { bundleLambdaZip } from '@tollgate/pipelines/artifacts/bundle-lambda-zip';
import type { LambdaTarget } from '@tollgate/pipelines/targets/manifest';
import { expect } from 'vitest';
import { type RoundTripWorld, rejection, until } from './round-trip-cloud';

/** payments' function: every Lambda operation, mutations read back, and one request Lambda rejects. */
export async function lambdaRoundTrips(world: RoundTripWorld): Promise<void> {
  const target = world.target<LambdaTarget>('payments');
  const lambda = new LambdaClient(world.config);
  const FunctionName = target.functionName;
  const arn = `arn:aws:lambda:eu-west-1:${target.account}:function:${FunctionName}`;

  const live = await lambda.send(new GetAliasCommand({ FunctionName, Name: target.alias }));
  expect(live).toMatchObject({
    AliasArn: `${arn}:${target.alias}`,
    Name: target.alias,
    FunctionVersion: '1',
  });
  expect(live.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});

  const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
  expect(latest).toMatchObject({
    FunctionName,
    FunctionArn: arn,
    Version: '$LATEST',
    State: 'Active',
    LastUpdateStatus: 'Successful',
    Environment: { Variables: { RELEASE_VERSION: '1.0.0' } },
    LoggingConfig: { LogGroup: target.logGroup },
  });
  const behindAlias = await lambda.send(new GetFunctionCommand({ FunctionName, Qualifier: target.alias }));
  expect(behindAlias.Configuration).toMatchObject({ FunctionArn: `${arn}:${target.alias}`, Version: '1' });
  expect(behindAlias.Code?.RepositoryType).toBe('S3');

  const zip = await bundleLambdaZip('payments');
  const version = await publishRelease(world, lambda, FunctionName, '1.1.0', zip);
  expect(version).toMatchObject({
    FunctionArn: `${arn}:${version.Version}`,
    Description: 'Tollgate release 1.1.0',
    Environment: { Variables: { RELEASE_VERSION: '1.1.0' } },
    CodeSha256: createHash('sha256').update(zip).digest('base64'),
  });
  const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName }));
  expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', version.Version]);

  await shiftAndReadBack(lambda, FunctionName, target.alias, live.RevisionId, version.Version ?? '');

  const candidate = await lambda.send(
    new CreateAliasCommand({ FunctionName, Name: 'candidate', FunctionVersion: version.Version }),
  );
  expect(candidate).toMatchObject({ AliasArn: `${arn}:candidate`, FunctionVersion: version.Version });
  const viaCandidate = await lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName, Qualifier: 'candidate' }),
  );
  expect(viaCandidate.Environment?.Variables?.RELEASE_VERSION).toBe('1.1.0');

  const refused = await rejection(
    lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName,
        TracingConfig: { Mode: 'Sometimes' as 'Active' },
      }),
    ),
  );
  expect(refused).toMatchObject({ name: 'ValidationException', status: 400 });
  expect(refused.message).toContain('TracingConfig.Mode');
}

/**
 * What a release does to the function before it shifts traffic: a configuration update and a code update,
 * each read back until Lambda says it is done, then PublishVersion.
 */
export async function publishRelease(
  world: RoundTripWorld,
  lambda: LambdaClient,
  FunctionName: string,
  release: string,
  zip?: Uint8Array,
) {
  const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
  const configured = await lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName,
      RevisionId: before.RevisionId,
      Environment: { Variables: { ...before.Environment?.Variables, RELEASE_VERSION: release } },
      Description: before.Description,
    }),
  );
  expect(configured.Environment?.Variables?.RELEASE_VERSION).toBe(release);
  expect(configured.RevisionId).not.toBe(before.RevisionId);
  await settled(world, lambda, FunctionName);
  if (zip) {
    const coded = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ZipFile: zip }));
    expect(coded.CodeSha256).toBe(createHash('sha256').update(zip).digest('base64'));
    await settled(world, lambda, FunctionName);
  }
  return lambda.send(new PublishVersionCommand({ FunctionName, Description: `Tollgate release ${release}` }));
}

async function settled(world: RoundTripWorld, lambda: LambdaClient, FunctionName: string) {
  await until(
    world,
    `the update of ${FunctionName}`,
    () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName })),
    (configuration) => configuration.LastUpdateStatus === 'Successful',
  );
}

/** UpdateAlias with a 10% canary weight, read back, then all traffic back on version 1. */
async function shiftAndReadBack(
  lambda: LambdaClient,
  FunctionName: string,
  Name: string,
  RevisionId: string | undefined,
  canary: string,
) {
  const weights = { [canary]: 0.1 };
  const shifted = await lambda.send(
    new UpdateAliasCommand({
      FunctionName,
      Name,
      FunctionVersion: '1',
      RevisionId,
      RoutingConfig: { AdditionalVersionWeights: weights },
    }),
  );
  expect(shifted.RevisionId).not.toBe(RevisionId);
  const readBack = await lambda.send(new GetAliasCommand({ FunctionName, Name }));
  expect(readBack).toMatchObject({
    FunctionVersion: '1',
    RoutingConfig: { AdditionalVersionWeights: weights },
  });
  expect(readBack.RevisionId).toBe(shifted.RevisionId);
  const stale = await rejection(
    lambda.send(new UpdateAliasCommand({ FunctionName, Name, RevisionId, RoutingConfig: {} })),
  );
  expect(stale.name).toBe('PreconditionFailedException');
  await lambda.send(new UpdateAliasCommand({ FunctionName, Name, FunctionVersion: '1', RoutingConfig: {} }));
  const back = await lambda.send(new GetAliasCommand({ FunctionName, Name }));
  expect(back.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
}
