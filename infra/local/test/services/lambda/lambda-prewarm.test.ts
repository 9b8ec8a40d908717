import { bundleLambdaZip } from '@tollgate/pipelines/artifacts/bundle-lambda-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UPDATE_MS } from '../../../src/services/lambda/function-store';
import { FN, LambdaWorld } from './lambda-world';
import { TestDaemon } from './test-daemon';

const PAYMENT = { orderId: 'order-1', paymentToken: 'tok_visa', amount: 1999, currency: 'EUR' };

let daemon: TestDaemon;
let world: LambdaWorld;

beforeAll(async () => {
  daemon = await TestDaemon.start();
  world = new LambdaWorld({ daemonAddress: daemon.address });
  world.provision(await bundleLambdaZip('payments'));
}, 60_000);

afterAll(async () => {
  await world.service.close();
  await daemon.close();
});

describe('a published version, before it gets traffic', () => {
  it('answers PublishVersion with two environments initialized, whose first invocations are not cold starts', async () => {
    await world.call('UpdateFunctionConfiguration', {
      FunctionName: FN,
      Environment: { Variables: { RELEASE_VERSION: '2.0.0' } },
    });
    world.advance(DEFAULT_UPDATE_MS);
    expect(world.service.environments()).toBe(0);

    expect((await world.call('PublishVersion', { FunctionName: FN })).Version).toBe('2');
    expect(world.service.environments()).toBe(2);

    const results = await Promise.all([1, 2].map(() => world.service.invoke(FN, '2', PAYMENT)));
    expect(results.map((result) => [result.executedVersion, result.error])).toEqual([
      ['2', undefined],
      ['2', undefined],
    ]);
    expect(world.service.environments()).toBe(2);
    const functions = world.sink.documents.filter((document) => document.origin === 'AWS::Lambda::Function');
    const initialized = functions.filter((document) =>
      ((document.subsegments ?? []) as { name: string }[]).some((sub) => sub.name === 'Initialization'),
    );
    expect([functions.length, initialized.length]).toEqual([2, 0]);
    const handlers = await daemon.waitFor((document) => document.name === '## payments', 2);
    expect(handlers.map((sub) => (sub.annotations as { ColdStart: boolean }).ColdStart)).toEqual([
      false,
      false,
    ]);
  });
});
