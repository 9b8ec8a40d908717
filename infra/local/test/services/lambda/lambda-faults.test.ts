import { bundleLambdaZip } from '@tollgate/pipelines/artifacts/bundle-lambda-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UPDATE_MS } from '../../../src/services/lambda/function-store';
import { ARN, FN, LambdaWorld, zipOf } from './lambda-world';

const PAYMENT = { orderId: 'order-7', paymentToken: 'tok_visa', amount: 500, currency: 'EUR' };
let payments: Uint8Array;
const worlds: LambdaWorld[] = [];

beforeAll(async () => {
  payments = await bundleLambdaZip('payments');
});
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.service.close()));
});

/** FN running `code` as version 1 (1.0.0), and version 2 (2.0.0) published from the same code. */
async function world(code: Uint8Array, faults: LambdaWorld['faults']['versions'] = []): Promise<LambdaWorld> {
  const w = new LambdaWorld({ faults: { api: [], versions: faults } });
  worlds.push(w);
  w.provision(code);
  await w.call('UpdateFunctionConfiguration', {
    FunctionName: FN,
    Environment: { Variables: { RELEASE_VERSION: '2.0.0' } },
    Timeout: 1,
  });
  w.advance(DEFAULT_UPDATE_MS);
  await w.call('PublishVersion', { FunctionName: FN });
  return w;
}

const resource2 = { FunctionName: FN, Resource: `${FN}:2` };

describe('the Lambda runtime acting out faults', () => {
  it('gives the version its injected errors: the invocation fails and Errors counts it', async () => {
    const w = await world(payments, [{ workload: 'payments', version: '2.0.0', errorRate: 1 }]);
    const failed = await w.service.invoke(FN, '2', PAYMENT);
    expect(failed.error).toEqual(
      expect.objectContaining({ errorType: 'InjectedFaultError', errorMessage: 'injected fault' }),
    );
    expect(failed.payload).toEqual(failed.error);
    expect(w.sink.sum('Errors', resource2)).toBe(1);
    const fine = await w.service.invoke(FN, '1', PAYMENT);
    expect(fine.error).toBeUndefined();
    const fn = w.sink.documents.find(
      (document) => document.origin === 'AWS::Lambda::Function' && document.fault,
    );
    expect(fn?.cause).toMatchObject({
      exceptions: [{ type: 'InjectedFaultError', message: 'injected fault' }],
    });
  });

  it('slows the version by its added latency, which Duration measures', async () => {
    const w = await world(payments, [{ workload: 'payments', version: '2.0.0', addedLatencyMs: 150 }]);
    await w.service.invoke(FN, '2', PAYMENT);
    await w.service.invoke(FN, '1', PAYMENT);
    const [slow] = w.sink.samples('Duration', resource2);
    const [fast] = w.sink.samples('Duration', { FunctionName: FN, Resource: `${FN}:1` });
    expect(slow?.value).toBeGreaterThanOrEqual(150);
    expect(fast?.value).toBeLessThan(150);
  });

  it('fails every invocation of a version that crashes on start, each in a new environment', async () => {
    const w = await world(payments, [{ workload: 'payments', version: '2.0.0', crashOnStart: true }]);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await w.service.invoke(FN, '2', PAYMENT);
      expect(result.error?.errorMessage).toBe('SECURECART_INJECTED_FAULTS: this version crashes on start');
    }
    expect(w.sink.sum('Errors', resource2)).toBe(3);
    expect(w.service.environments()).toBe(0);
    expect((await w.service.invoke(FN, '1', PAYMENT)).error).toBeUndefined();
  });

  it("returns a handler's error as Lambda does, and replaces an environment whose process died", async () => {
    const code = zipOf(`
      exports.handler = async (event, context) => {
        if (event.crash) process.exit(3);
        if (event.fail) { const e = new Error('declined'); e.name = 'PaymentDeclined'; throw e; }
        if (event.sleep) await new Promise((r) => setTimeout(r, event.sleep));
        return { pid: process.pid, env: process.env, context: { ...context, remaining: context.getRemainingTimeInMillis() } };
      };`);
    const w = await world(code, [
      { workload: 'payments', version: '2.0.0', tailShare: 0.5, tailLatencyMs: 1 },
    ]);
    const first = (await w.service.invoke(FN, 'live', {})).payload as {
      pid: number;
      env: Record<string, string>;
      context: Record<string, unknown>;
    };
    expect(first.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: FN,
      AWS_LAMBDA_FUNCTION_VERSION: '1',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      _HANDLER: 'index.handler',
      RELEASE_VERSION: '1.0.0',
      AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    });
    expect(first.env.SECURECART_INJECTED_FAULTS).toBeUndefined();
    expect(first.env.LAMBDA_TASK_ROOT).toMatch(/tollgate-lambda-/);
    const fnSegment = w.sink.documents.find((document) => document.origin === 'AWS::Lambda::Function');
    expect(first.env._X_AMZN_TRACE_ID).toBe(`Root=${fnSegment?.trace_id};Parent=${fnSegment?.id};Sampled=1`);
    expect(first.context).toMatchObject({
      functionName: FN,
      functionVersion: '1',
      invokedFunctionArn: `${ARN}:live`,
      memoryLimitInMB: '512',
    });
    expect(first.context.remaining as number).toBeGreaterThan(900);
    const faulty = (await w.service.invoke(FN, '2', {})).payload as { env: Record<string, string> };
    expect(JSON.parse(faulty.env.SECURECART_INJECTED_FAULTS ?? '')).toEqual({
      tailShare: 0.5,
      tailLatencyMs: 1,
    });

    const declined = await w.service.invoke(FN, '1', { fail: true });
    expect(declined.error).toMatchObject({ errorType: 'PaymentDeclined', errorMessage: 'declined' });
    const crashed = await w.service.invoke(FN, '1', { crash: true });
    expect(crashed.error).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(crashed.error?.errorMessage).toContain('Runtime exited with error: exit status 3');
    const timedOut = await w.service.invoke(FN, '2', { sleep: 1500 });
    expect(timedOut.error).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringContaining('Task timed out after 1.00 seconds'),
    });
    expect(w.sink.sum('Errors', resource2)).toBe(1);
    const after = (await w.service.invoke(FN, '1', {})).payload as { pid: number };
    expect(after.pid).not.toBe(first.pid);
    expect(w.sink.sum('Errors', { FunctionName: FN, Resource: `${FN}:1` })).toBe(2);
  });

  it('throttles beyond the concurrency limit, and close() leaves no process running', async () => {
    const w = new LambdaWorld({ maxConcurrency: 2 });
    worlds.push(w);
    w.provision(
      zipOf(
        'exports.handler = async () => { await new Promise((r) => setTimeout(r, 200)); return process.pid; };',
      ),
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => w.service.invoke(FN, 'live', {})));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({
      code: 'TooManyRequestsException',
      status: 429,
    });
    expect(w.sink.sum('Throttles', { FunctionName: FN, Resource: `${FN}:live` })).toBe(1);
    const pids = w.service.processIds();
    expect(pids).toHaveLength(2);
    await w.service.close();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    await expect(w.service.invoke(FN, 'live', {})).rejects.toThrow('closed');
  });
});
