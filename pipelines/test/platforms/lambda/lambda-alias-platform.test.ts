import { afterEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src/aws/aws-error';
import { UnknownWorkloadError } from '../../../src/platforms/port';
import { accessDenied, SentOperations, throttledLambda } from './faults';
import { LambdaWorld } from './world';

const FN = 'securecart-production-checkout';
const ARTIFACT = { kind: 's3', bucket: 'shop-artifacts', key: 'checkout/2.0.0.zip' } as const;
const V1 = { version: '1.0.0', ref: '1' };
const V2 = { version: '2.0.0', ref: '2' };

const sent = new SentOperations();
let world: LambdaWorld;
afterEach(() => {
  world.expectValidRequests();
  sent.record(world);
});

/** A function serving 1.0.0 with 2.0.0 published, and the requests so far forgotten. */
async function staged() {
  world = new LambdaWorld();
  const platform = world.aliasPlatform();
  await platform.prepare({ version: '2.0.0', source: ARTIFACT });
  world.resetHistory();
  return platform;
}

const aliasWrites = () =>
  world
    .sent()
    .filter((request) => request.operation === 'UpdateAlias')
    .map((request) => request.input);

describe('lambda-alias: Tollgate sets the alias routing', () => {
  it('shifts by routing the canary weight to the new version, naming the alias revision it read', async () => {
    const platform = await staged();
    await platform.shift(V2, 10);

    expect(world.sent().map(({ operation, input }) => ({ operation, input }))).toEqual([
      { operation: 'GetAlias', input: { FunctionName: FN, Name: 'live' } },
      { operation: 'GetFunctionConfiguration', input: { FunctionName: FN, Qualifier: '2' } },
      {
        operation: 'UpdateAlias',
        input: {
          FunctionName: FN,
          Name: 'live',
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
          RevisionId: 'alias-revision-1',
        },
      },
    ]);
    expect(await platform.current()).toEqual({ stable: V1, canary: V2, canaryWeight: 10 });
  });

  it('sends weights in hundredths of a percent as Lambda fractions, within 0.0–1.0, and reads them back exactly', async () => {
    // Lambda API reference, AliasRoutingConfiguration: AdditionalVersionWeights values range 0.0 to 1.0.
    const platform = await staged();
    for (const weight of [0.01, 0.57, 33.33, 99.99, 100]) {
      await platform.shift(V2, weight);
      const [write] = aliasWrites().slice(-1) as [
        { RoutingConfig: { AdditionalVersionWeights: Record<string, number> } },
      ];
      const fraction = write.RoutingConfig.AdditionalVersionWeights['2'] ?? -1;
      expect(fraction).toBeGreaterThanOrEqual(0);
      expect(fraction).toBeLessThanOrEqual(1);
      expect(fraction).toBe(Math.round(weight * 100) / 10_000);
      expect((await platform.current()).canaryWeight).toBe(weight);
    }
  });

  it('leaves the alias alone when it already routes that weight, and refuses a weight finer than 0.01%', async () => {
    const platform = await staged();
    await platform.shift(V2, 10);
    await platform.shift(V2, 10);
    expect(aliasWrites()).toHaveLength(1);

    world.resetHistory();
    await expect(platform.shift(V2, 10.005)).rejects.toThrow(
      'weight 10.005% is not a multiple of 0.01%, the smallest increment lambda-alias can set',
    );
    expect(world.sent()).toEqual([]);
  });

  it('promotes by pointing the alias at the new version with no routing; promoting again writes nothing', async () => {
    const platform = await staged();
    await platform.shift(V2, 50);
    world.resetHistory();
    await platform.promote(V2);
    await platform.promote(V2);

    expect(aliasWrites()).toEqual([
      {
        FunctionName: FN,
        Name: 'live',
        FunctionVersion: '2',
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: 'alias-revision-2',
      },
    ]);
    expect(await platform.current()).toEqual({ stable: V2, canaryWeight: 0 });
  });

  it('rolls back by dropping the routing, without a revision so that it wins over any concurrent change', async () => {
    const platform = await staged();
    await platform.shift(V2, 10);
    world.resetHistory();
    await platform.rollback();
    await platform.rollback();

    expect(aliasWrites()).toEqual([
      {
        FunctionName: FN,
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: {} },
      },
    ]);
    expect(await platform.current()).toEqual({ stable: V1, canaryWeight: 0 });
  });

  it('rolls back to a given revision after a promotion', async () => {
    const platform = await staged();
    await platform.promote(V2);
    await platform.rollback(V1);
    expect(aliasWrites().at(-1)).toEqual({
      FunctionName: FN,
      Name: 'live',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: {} },
    });
    expect(world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
  });

  it('bakes: every read reports the split the alias has, as a new adapter after a crash sees it too', async () => {
    const platform = await staged();
    await platform.shift(V2, 10);
    const reading = await platform.current();
    world.resetHistory();

    const successor = world.aliasPlatform();
    expect(await successor.current()).toEqual(reading);
    expect(world.operations()).toEqual([
      'lambda:GetAlias',
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionConfiguration',
    ]);
    world.resetHistory();
    await successor.current();
    expect(world.operations()).toEqual(['lambda:GetAlias']);
  });

  it('refuses to take over traffic someone else routes to a third version', async () => {
    const platform = await staged();
    await platform.prepare({ version: '3.0.0', source: { ...ARTIFACT, key: 'checkout/3.0.0.zip' } });
    await platform.shift({ version: '3.0.0', ref: '3' }, 5);
    world.resetHistory();

    await expect(platform.shift(V2, 10)).rejects.toThrow(
      `cannot shift 10% of checkout to 2.0.0: alias live of ${FN} routes 5% to version 3 (3.0.0); roll that back first`,
    );
    await expect(platform.promote(V2)).rejects.toThrow(
      `cannot promote 2.0.0 on checkout: alias live of ${FN} routes 5% to version 3 (3.0.0); roll that back first`,
    );
    expect(aliasWrites()).toEqual([]);
  });

  it('refuses a revision whose version number carries another release, and shifting the stable version', async () => {
    const platform = await staged();
    await expect(platform.shift({ version: '2.0.0', ref: '1' }, 10)).rejects.toThrow(
      `version 1 of ${FN} carries release 1.0.0, not 2.0.0`,
    );
    await expect(platform.shift(V1, 10)).rejects.toThrow('cannot shift 10% of checkout to 1.0.0');
    expect(aliasWrites()).toEqual([]);
  });

  it('does not overwrite an alias changed between its read and its write: Lambda refuses the stale revision', async () => {
    const platform = await staged();
    world.lambda.interceptNext('UpdateAlias', () => world.lambda.setAlias(world.clock.now(), '1', {}));

    const error = await platform.shift(V2, 10).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({ kind: 'conflict', code: 'PreconditionFailedException' });
    expect((error as Error).message).toMatch(
      /^could not shift alias live of .* to version 2 at 10%: PreconditionFailedException: The Revision Id provided does not match/,
    );
    expect(world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
  });

  it('says what it was doing when Lambda throttles, and when the deploy role may not update the alias', async () => {
    const platform = await staged();
    world.lambda.failNext('GetAlias', throttledLambda());
    await expect(platform.current()).rejects.toMatchObject({
      kind: 'throttled',
      message: `could not read alias live of ${FN}: TooManyRequestsException: Rate exceeded`,
    });

    const arn = `arn:aws:lambda:eu-west-1:123456789012:function:${FN}:live`;
    world.lambda.failNext('UpdateAlias', accessDenied('lambda:UpdateAlias', arn));
    const denied = await platform.shift(V2, 10).catch((error: unknown) => error);
    expect(denied).toMatchObject({ kind: 'access-denied' });
    expect((denied as Error).message).toContain(
      `could not shift alias live of ${FN} to version 2 at 10%: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/shop-production-deploy/tollgate is not authorized to perform: lambda:UpdateAlias on resource: ${arn}`,
    );
    expect(world.lambda.aliasNow).toEqual({ functionVersion: '1', weights: {} });
  });

  it('a missing function is an unknown workload; a missing version is not', async () => {
    world = new LambdaWorld({ exists: false });
    const error = await world
      .aliasPlatform()
      .current()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UnknownWorkloadError);
    expect((error as Error).message).toBe(
      `workload "checkout" not found on Lambda (alias live of ${FN} in eu-west-1)`,
    );

    const platform = await staged();
    const missing = await platform
      .shift({ version: '9.0.0', ref: '9' }, 10)
      .catch((thrown: unknown) => thrown);
    expect(missing).not.toBeInstanceOf(UnknownWorkloadError);
    expect(missing).toMatchObject({
      kind: 'not-found',
      message: expect.stringMatching(/^could not read version 9 of /),
    });
  });

  it('sends only operations that PERMISSIONS lists', () => {
    sent.expectAllListed();
  });
});
