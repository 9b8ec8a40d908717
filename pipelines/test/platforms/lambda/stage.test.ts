import { createHash } from 'node:crypto';
import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src/aws/aws-error';
import { accessDenied, SentOperations, throttledLambda } from './faults';
import { LambdaWorld } from './world';

const FN = 'securecart-production-checkout';
const S3 = { kind: 's3', bucket: 'shop-artifacts', key: 'checkout/2.0.0.zip', versionId: 'v7' } as const;

const sent = new SentOperations();
let world: LambdaWorld;
afterEach(() => {
  world.expectValidRequests();
  sent.record(world);
});

function fresh(): LambdaWorld {
  world = new LambdaWorld();
  return world;
}

const sha = (text: string) => createHash('sha256').update(text).digest('base64');

describe('staging a Lambda version (prepare, both release methods)', () => {
  it('sets RELEASE_VERSION, uploads the code, waits for each with the SDK waiter, and publishes exactly what it staged', async () => {
    const platform = fresh().aliasPlatform();
    world.lambda.fn.updateReads = 2;

    expect(await platform.prepare({ version: '2.0.0', source: S3 })).toEqual({ version: '2.0.0', ref: '2' });

    const codeSha = sha('s3://shop-artifacts/checkout/2.0.0.zip?versionId=v7');
    // The waiter's polls: InProgress twice, then Successful.
    const waited = Array.from({ length: 3 }, () => ({
      operation: 'GetFunction',
      input: { FunctionName: FN },
    }));
    expect(world.sent().map(({ operation, input }) => ({ operation, input }))).toEqual([
      { operation: 'GetAlias', input: { FunctionName: FN, Name: 'live' } },
      { operation: 'GetFunctionConfiguration', input: { FunctionName: FN, Qualifier: '1' } },
      { operation: 'ListVersionsByFunction', input: { FunctionName: FN } },
      { operation: 'GetFunctionConfiguration', input: { FunctionName: FN } },
      {
        operation: 'UpdateFunctionConfiguration',
        input: {
          FunctionName: FN,
          Environment: { Variables: { LOG_LEVEL: 'INFO', RELEASE_VERSION: '2.0.0' } },
          RevisionId: 'function-revision-1',
        },
      },
      ...waited,
      {
        operation: 'UpdateFunctionCode',
        input: {
          FunctionName: FN,
          S3Bucket: 'shop-artifacts',
          S3Key: 'checkout/2.0.0.zip',
          S3ObjectVersion: 'v7',
        },
      },
      ...waited,
      {
        operation: 'PublishVersion',
        input: {
          FunctionName: FN,
          Description: 'Tollgate release 2.0.0',
          CodeSha256: codeSha,
          RevisionId: 'function-revision-3',
        },
      },
    ]);
    expect(world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
    // The published version is what the function labels its traces with.
    expect(world.lambda.releaseOf('2')).toBe('2.0.0');
  });

  it('sends a zip from the build as the request body, and an image by its URI', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-lambda-'));
    const zip = join(dir, 'checkout.zip');
    await writeFile(zip, 'PK zipped code');
    const platform = fresh().aliasPlatform();
    await platform.prepare({ version: '2.0.0', source: { kind: 'zip', path: zip } });
    await platform.prepare({
      version: '3.0.0',
      source: { kind: 'image', uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout@sha256:ab12' },
    });

    const uploads = world.sent().filter((request) => request.operation === 'UpdateFunctionCode');
    expect(uploads.map((request) => request.input)).toEqual([
      { FunctionName: FN, ZipFile: Buffer.from('PK zipped code') },
      { FunctionName: FN, ImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout@sha256:ab12' },
    ]);
  });

  it('finds the version already published for the release instead of publishing again, also after a crash', async () => {
    const first = fresh().aliasPlatform();
    const revision = await first.prepare({ version: '2.0.0', source: S3 });
    world.resetHistory();

    expect(await first.prepare({ version: '2.0.0', source: S3 })).toEqual(revision);
    expect(await world.aliasPlatform().prepare({ version: '2.0.0' })).toEqual(revision);

    expect(world.operations()).not.toContain('lambda:UpdateFunctionCode');
    expect(world.operations()).not.toContain('lambda:PublishVersion');
    expect(world.lambda.fn.publishedCount).toBe(2);
  });

  it('pages through every version to find the newest that carries the release', async () => {
    fresh().lambda.fn.seedVersions(60, (index) => (index === 57 || index === 12 ? '2.0.0' : `0.${index}.0`));

    expect(await world.aliasPlatform().prepare({ version: '2.0.0' })).toEqual({
      version: '2.0.0',
      ref: '59',
    });
    const listed = world.sent().filter((request) => request.operation === 'ListVersionsByFunction');
    expect(listed.map((request) => request.input)).toEqual([
      { FunctionName: FN },
      { FunctionName: FN, Marker: '50' },
    ]);
  });

  it('returns the stable revision for the version the alias serves, which the infra published without a description', async () => {
    const platform = fresh().aliasPlatform();
    expect(await platform.prepare({ version: '1.0.0' })).toEqual({ version: '1.0.0', ref: '1' });
    expect(world.operations()).toEqual(['lambda:GetAlias', 'lambda:GetFunctionConfiguration']);
  });

  it('publishes identical code under a new release as a version of its own, told apart by its RELEASE_VERSION', async () => {
    const platform = fresh().aliasPlatform();
    await platform.prepare({ version: '2.0.0', source: S3 });

    expect(await platform.prepare({ version: '2.0.1', source: S3 })).toEqual({ version: '2.0.1', ref: '3' });
    expect(world.lambda.releaseOf('2')).toBe('2.0.0');
    expect(world.lambda.releaseOf('3')).toBe('2.0.1');
  });

  it('publishes nothing when $LATEST changed under it between the upload and the publish', async () => {
    const platform = fresh().aliasPlatform();
    world.lambda.interceptNext('PublishVersion', () => {
      world.lambda.fn.updateOutOfBand('s3://someone-else/checkout.zip');
      world.lambda.fn.getFunction({ FunctionName: FN });
      world.lambda.fn.getFunction({ FunctionName: FN });
    });

    await expect(platform.prepare({ version: '2.0.0', source: S3 })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(
        `^could not publish 2.0.0 as a version of ${FN}: PreconditionFailedException`,
      ),
    });
    expect(world.lambda.fn.publishedCount).toBe(1);
  });

  it('refuses to set RELEASE_VERSION when Lambda cannot show the rest of the environment, changing nothing', async () => {
    const platform = fresh().aliasPlatform();
    world.lambda.fn.environmentError = {
      ErrorCode: 'AccessDeniedException',
      Message: 'Lambda was unable to decrypt the environment variables because KMS access was denied.',
    };

    await expect(platform.prepare({ version: '2.0.0', source: S3 })).rejects.toThrow(
      `cannot read the environment of ${FN} (AccessDeniedException: Lambda was unable to decrypt the environment variables because KMS access was denied.), so RELEASE_VERSION cannot be set without losing the rest; nothing was changed`,
    );
    expect(world.operations()).not.toContain('lambda:UpdateFunctionConfiguration');
  });

  it('says what is missing when no version carries the release and no artifact was given', async () => {
    await expect(fresh().aliasPlatform().prepare({ version: '2.0.0' })).rejects.toThrow(
      `cannot stage 2.0.0 on ${FN}: no published version carries it, and the release names no artifact (a zip, an S3 object or an image URI) to publish it from`,
    );
    expect(world.operations()).not.toContain('lambda:UpdateFunctionCode');
  });

  it('refuses a zip that is missing or too large to upload directly, before calling Lambda to change anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-lambda-'));
    const large = join(dir, 'large.zip');
    await writeFile(large, '');
    await truncate(large, 51 * 1024 * 1024);
    const platform = fresh().aliasPlatform();

    await expect(
      platform.prepare({ version: '2.0.0', source: { kind: 'zip', path: join(dir, 'none.zip') } }),
    ).rejects.toThrow(`cannot read the artifact ${join(dir, 'none.zip')}: no such file`);
    await expect(
      platform.prepare({ version: '2.0.0', source: { kind: 'zip', path: large } }),
    ).rejects.toThrow(
      `the artifact ${large} is 51 MB; Lambda takes at most 50 MB uploaded directly, so upload it to S3 and release the S3 object`,
    );
    expect(world.operations()).not.toContain('lambda:UpdateFunctionCode');
  });

  it('fails without publishing when Lambda cannot apply the code (a failure no gate caused)', async () => {
    const platform = fresh().aliasPlatform();
    world.lambda.fn.failNextUpdate({
      code: 'InvalidImage',
      reason: 'The image manifest or layer media type is not supported.',
    });

    await expect(platform.prepare({ version: '2.0.0', source: S3 })).rejects.toThrow(
      `Lambda could not update ${FN} to the code of 2.0.0 (Failed: InvalidImage: The image manifest or layer media type is not supported.); nothing was published and traffic did not move`,
    );
    expect(world.operations()).not.toContain('lambda:PublishVersion');
    expect(await platform.current()).toEqual({ stable: { version: '1.0.0', ref: '1' }, canaryWeight: 0 });
    // The next attempt starts from the failed update and publishes.
    expect(await platform.prepare({ version: '2.0.0', source: S3 })).toEqual({ version: '2.0.0', ref: '2' });
  });

  it('waits out an update a crashed run left in progress before uploading again', async () => {
    fresh().lambda.fn.updateOutOfBand('s3://shop-artifacts/checkout/2.0.0.zip');

    expect(await world.aliasPlatform().prepare({ version: '2.0.0', source: S3 })).toEqual({
      version: '2.0.0',
      ref: '2',
    });
    expect(world.operations()).toEqual([
      'lambda:GetAlias',
      'lambda:GetFunctionConfiguration',
      'lambda:ListVersionsByFunction',
      'lambda:GetFunctionConfiguration', // InProgress: wait before changing anything
      'lambda:GetFunction',
      'lambda:GetFunction',
      'lambda:UpdateFunctionConfiguration',
      'lambda:GetFunction',
      'lambda:GetFunction',
      'lambda:UpdateFunctionCode',
      'lambda:GetFunction',
      'lambda:GetFunction',
      'lambda:PublishVersion',
    ]);
  });

  it('says what it was doing when Lambda throttles or denies a call', async () => {
    const platform = fresh().aliasPlatform();
    world.lambda.failNext('UpdateFunctionCode', throttledLambda());
    const throttled = await platform
      .prepare({ version: '2.0.0', source: S3 })
      .catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(AwsCallError);
    expect(throttled).toMatchObject({
      kind: 'throttled',
      message: `could not upload the code of 2.0.0 to ${FN}: TooManyRequestsException: Rate exceeded`,
    });

    const arn = `arn:aws:lambda:eu-west-1:123456789012:function:${FN}`;
    world.lambda.failNext('PublishVersion', accessDenied('lambda:PublishVersion', arn));
    const denied = await platform.prepare({ version: '2.0.0', source: S3 }).catch((error: unknown) => error);
    expect(denied).toMatchObject({ kind: 'access-denied', code: 'AccessDeniedException' });
    expect((denied as Error).message).toMatch(
      new RegExp(
        `^could not publish 2.0.0 as a version of ${FN}: AccessDeniedException: User: .* is not authorized to perform: lambda:PublishVersion on resource: ${arn}`,
      ),
    );
  });

  it('sends only operations that PERMISSIONS lists', () => {
    sent.expectAllListed();
  });
});
