import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_UPDATE_MS } from '../../../src/services/lambda/function-store';
import { AwsServiceError } from '../../../src/services/service';
import { ARN, FN, LambdaWorld, zipOf } from './lambda-world';

let world: LambdaWorld;
afterEach(() => world.service.close());

function provisioned(): LambdaWorld {
  world = new LambdaWorld();
  world.provision();
  return world;
}

async function rejection(promise: Promise<unknown>): Promise<AwsServiceError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AwsServiceError))
    throw new Error(`expected an AwsServiceError, got ${String(error)}`);
  return error;
}

const sha = (zip: Uint8Array) => createHash('sha256').update(zip).digest('base64');

describe('Lambda: the adapter staging sequence', () => {
  it('sets RELEASE_VERSION, uploads the zip, waits out each update, and publishes version 2 carrying both', async () => {
    const w = provisioned();
    const before = await w.call('GetFunctionConfiguration', { FunctionName: FN });
    expect(before).toMatchObject({
      FunctionName: FN,
      FunctionArn: ARN,
      Version: '$LATEST',
      LastUpdateStatus: 'Successful',
      State: 'Active',
      Handler: 'index.handler',
      Environment: { Variables: { LOG_LEVEL: 'INFO', RELEASE_VERSION: '1.0.0' } },
    });

    const configured = await w.call('UpdateFunctionConfiguration', {
      FunctionName: FN,
      Environment: { Variables: { LOG_LEVEL: 'INFO', RELEASE_VERSION: '2.0.0' } },
      RevisionId: before.RevisionId,
    });
    expect(configured.LastUpdateStatus).toBe('InProgress');
    expect(configured.RevisionId).not.toBe(before.RevisionId);
    expect((await w.call('GetFunction', { FunctionName: FN })).Configuration.LastUpdateStatus).toBe(
      'InProgress',
    );

    // While it is in progress, Lambda refuses the next update and a publish.
    const zip = zipOf('exports.handler = async () => "v2";');
    const busy = await rejection(w.call('UpdateFunctionCode', { FunctionName: FN, ZipFile: zip }));
    expect([busy.code, busy.status, busy.message]).toEqual([
      'ResourceConflictException',
      409,
      `The operation cannot be performed at this time. An update is in progress for resource: ${ARN}`,
    ]);
    expect((await rejection(w.call('PublishVersion', { FunctionName: FN }))).code).toBe(
      'ResourceConflictException',
    );

    w.advance(DEFAULT_UPDATE_MS);
    expect((await w.call('GetFunction', { FunctionName: FN })).Configuration.LastUpdateStatus).toBe(
      'Successful',
    );
    const uploaded = await w.call('UpdateFunctionCode', { FunctionName: FN, ZipFile: zip });
    expect(uploaded).toMatchObject({
      CodeSha256: sha(zip),
      CodeSize: zip.byteLength,
      LastUpdateStatus: 'InProgress',
    });
    w.advance(DEFAULT_UPDATE_MS);
    const staged = (await w.call('GetFunction', { FunctionName: FN })).Configuration;

    const published = await w.call('PublishVersion', {
      FunctionName: FN,
      Description: 'Tollgate release 2.0.0',
      CodeSha256: staged.CodeSha256,
      RevisionId: staged.RevisionId,
    });
    expect(published).toMatchObject({
      Version: '2',
      FunctionArn: `${ARN}:2`,
      Description: 'Tollgate release 2.0.0',
      CodeSha256: sha(zip),
      Environment: { Variables: { LOG_LEVEL: 'INFO', RELEASE_VERSION: '2.0.0' } },
      LastUpdateStatus: 'Successful',
    });
    const version1 = await w.call('GetFunctionConfiguration', { FunctionName: FN, Qualifier: '1' });
    expect(version1.Environment.Variables.RELEASE_VERSION).toBe('1.0.0');
    expect(version1.CodeSha256).not.toBe(sha(zip));

    // Nothing changed since version 2: Lambda returns it instead of publishing a third.
    expect((await w.call('PublishVersion', { FunctionName: FN })).Version).toBe('2');
    const listed = await w.call('ListVersionsByFunction', { FunctionName: FN });
    expect(listed.Versions.map((v: { Version: string }) => v.Version)).toEqual(['$LATEST', '1', '2']);
  });

  it('refuses a stale RevisionId on an update and on a publish, and a CodeSha256 that is not $LATEST', async () => {
    const w = provisioned();
    const before = await w.call('GetFunctionConfiguration', { FunctionName: FN });
    await w.call('UpdateFunctionConfiguration', { FunctionName: FN, Description: 'changed by someone else' });
    w.advance(DEFAULT_UPDATE_MS);

    const stale = await rejection(
      w.call('UpdateFunctionConfiguration', {
        FunctionName: FN,
        Environment: { Variables: { RELEASE_VERSION: '2.0.0' } },
        RevisionId: before.RevisionId,
      }),
    );
    expect([stale.code, stale.status]).toEqual(['PreconditionFailedException', 412]);
    expect(stale.message).toBe(
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
    expect(
      (await rejection(w.call('PublishVersion', { FunctionName: FN, RevisionId: before.RevisionId }))).code,
    ).toBe('PreconditionFailedException');
    const wrongSha = await rejection(w.call('PublishVersion', { FunctionName: FN, CodeSha256: 'AAAA' }));
    expect([wrongSha.code, wrongSha.message]).toEqual([
      'InvalidParameterValueException',
      `CodeSHA256 (AAAA) is different from current CodeSHA256 in $LATEST (${before.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    ]);
    // The environment was not touched by the refused update.
    const after = await w.call('GetFunctionConfiguration', { FunctionName: FN });
    expect(after.Environment.Variables.RELEASE_VERSION).toBe('1.0.0');
    expect(after.Description).toBe('changed by someone else');
  });

  it('takes zip uploads only, and refuses a zip it cannot open and reserved environment variables', async () => {
    const w = provisioned();
    const s3 = await rejection(
      w.call('UpdateFunctionCode', { FunctionName: FN, S3Bucket: 'artifacts', S3Key: 'payments.zip' }),
    );
    expect(s3.code).toBe('InvalidParameterValueException');
    expect(s3.message).toContain(
      'takes function code as a zip upload (ZipFile), not from S3 (s3://artifacts/payments.zip)',
    );
    const junk = await rejection(
      w.call('UpdateFunctionCode', { FunctionName: FN, ZipFile: new Uint8Array([1, 2, 3]) }),
    );
    expect(junk.message).toBe(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
    const reserved = await rejection(
      w.call('UpdateFunctionConfiguration', {
        FunctionName: FN,
        Environment: { Variables: { AWS_REGION: 'x' } },
      }),
    );
    expect(reserved.message).toContain('Reserved keys used in this request: AWS_REGION');
  });
});

describe('Lambda: aliases', () => {
  async function withVersion2(): Promise<LambdaWorld> {
    const w = provisioned();
    await w.call('UpdateFunctionCode', {
      FunctionName: FN,
      ZipFile: zipOf('exports.handler = async () => 2;'),
    });
    w.advance(DEFAULT_UPDATE_MS);
    await w.call('PublishVersion', { FunctionName: FN });
    return w;
  }

  it('routes one extra version by a 0–1 weight and refuses a stale alias RevisionId', async () => {
    const w = await withVersion2();
    const alias = await w.call('GetAlias', { FunctionName: FN, Name: 'live' });
    expect(alias).toMatchObject({ AliasArn: `${ARN}:live`, Name: 'live', FunctionVersion: '1' });
    expect(alias.RoutingConfig).toBeUndefined();

    const shifted = await w.call('UpdateAlias', {
      FunctionName: FN,
      Name: 'live',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      RevisionId: alias.RevisionId,
    });
    expect(shifted.RoutingConfig).toEqual({ AdditionalVersionWeights: { '2': 0.1 } });
    const stale = await rejection(
      w.call('UpdateAlias', {
        FunctionName: FN,
        Name: 'live',
        FunctionVersion: '2',
        RevisionId: alias.RevisionId,
      }),
    );
    expect([stale.code, stale.status]).toEqual(['PreconditionFailedException', 412]);

    const promoted = await w.call('UpdateAlias', {
      FunctionName: FN,
      Name: 'live',
      FunctionVersion: '2',
      RoutingConfig: { AdditionalVersionWeights: {} },
      RevisionId: shifted.RevisionId,
    });
    expect(promoted.FunctionVersion).toBe('2');
    expect(promoted.RoutingConfig).toBeUndefined();
    const read = await w.call('GetFunctionConfiguration', { FunctionName: FN, Qualifier: 'live' });
    expect([read.Version, read.FunctionArn]).toEqual(['2', `${ARN}:live`]);
  });

  it.each([
    [{ '2': 1.5 }, 'ValidationException', "Value '{2=1.5}' at 'routingConfig.additionalVersionWeights'"],
    [{ '2': -0.1 }, 'ValidationException', "Value '{2=-0.1}'"],
    [
      { '2': 0.1, '3': 0.1 },
      'InvalidParameterValueException',
      'Number of items in AdditionalVersionWeights cannot be greater than 1',
    ],
    [
      { '1': 0.1 },
      'InvalidParameterValueException',
      'Function version 1 is already included in routing configuration.',
    ],
    [{ live: 0.1 }, 'ValidationException', 'Member must satisfy regular expression pattern: [0-9]+'],
    [{ '7': 0.1 }, 'ResourceNotFoundException', `Function not found: ${ARN}:7`],
  ])('refuses the routing %j as Lambda does', async (weights, code, message) => {
    const w = await withVersion2();
    const before = await w.call('GetAlias', { FunctionName: FN, Name: 'live' });
    const refused = await rejection(
      w.call('UpdateAlias', {
        FunctionName: FN,
        Name: 'live',
        RoutingConfig: { AdditionalVersionWeights: weights },
      }),
    );
    expect(refused.code).toBe(code);
    expect(refused.message).toContain(message);
    expect(await w.call('GetAlias', { FunctionName: FN, Name: 'live' })).toEqual(before);
  });

  it('accepts the ends of the range, 0 and 1', async () => {
    const w = await withVersion2();
    for (const weight of [0, 1]) {
      const updated = await w.call('UpdateAlias', {
        FunctionName: FN,
        Name: 'live',
        RoutingConfig: { AdditionalVersionWeights: { '2': weight } },
      });
      expect(updated.RoutingConfig.AdditionalVersionWeights).toEqual({ '2': weight });
    }
  });
});

describe('Lambda: what is not there', () => {
  it('answers ResourceNotFoundException with the ARN Lambda names', async () => {
    const w = provisioned();
    const missing = await rejection(
      w.call('GetFunctionConfiguration', { FunctionName: 'securecart-production-nothing' }),
    );
    expect([missing.code, missing.status, missing.message, missing.members]).toEqual([
      'ResourceNotFoundException',
      404,
      'Function not found: arn:aws:lambda:eu-west-1:222222222222:function:securecart-production-nothing',
      { Type: 'User' },
    ]);
    expect(
      (await rejection(w.call('GetFunctionConfiguration', { FunctionName: FN, Qualifier: '9' }))).message,
    ).toBe(`Function not found: ${ARN}:9`);
    expect((await rejection(w.call('GetAlias', { FunctionName: FN, Name: 'canary' }))).message).toBe(
      `Cannot find alias arn: ${ARN}:canary`,
    );
    // Another account's ARN does not find this account's function.
    const otherAccount = `arn:aws:lambda:eu-west-1:111111111111:function:${FN}`;
    expect((await rejection(w.call('GetAlias', { FunctionName: otherAccount, Name: 'live' }))).message).toBe(
      `Function not found: ${otherAccount}`,
    );
    // The full ARN of the function finds it.
    expect((await w.call('GetAlias', { FunctionName: ARN, Name: 'live' })).FunctionVersion).toBe('1');
  });

  it('pages ListVersionsByFunction with Marker and MaxItems', async () => {
    const w = provisioned();
    for (let index = 2; index <= 4; index += 1) {
      await w.call('UpdateFunctionConfiguration', { FunctionName: FN, Description: `change ${index}` });
      w.advance(DEFAULT_UPDATE_MS);
      await w.call('UpdateFunctionCode', {
        FunctionName: FN,
        ZipFile: zipOf(`exports.handler = () => ${index};`),
      });
      w.advance(DEFAULT_UPDATE_MS);
      await w.call('PublishVersion', { FunctionName: FN });
    }
    const first = await w.call('ListVersionsByFunction', { FunctionName: FN, MaxItems: 3 });
    expect(first.Versions.map((v: { Version: string }) => v.Version)).toEqual(['$LATEST', '1', '2']);
    const second = await w.call('ListVersionsByFunction', { FunctionName: FN, Marker: first.NextMarker });
    expect(second.Versions.map((v: { Version: string }) => v.Version)).toEqual(['3', '4']);
    expect(second.NextMarker).toBeUndefined();
  });
});
