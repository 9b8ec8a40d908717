import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  GetAliasCommand,
  LambdaClient,
  TooManyRequestsException,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { VirtualClock } from '@tollgate/pipelines/time/clock';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { describe, expect, it } from 'vitest';
import { emptyFaultPlan } from '../../src/faults/fault-plan';
import type { ServiceDefinition } from '../../src/services/service';
import { createFaultInjector } from '../../src/wire/api-faults';
import { cloudStart, startTestCloud } from './test-cloud';

function ecsService() {
  const calls: string[] = [];
  const definition: ServiceDefinition = {
    signingName: 'ecs',
    sdkPackage: '@aws-sdk/client-ecs',
    protocol: 'awsJson1_1',
    operations: {
      DescribeServices(input) {
        calls.push(input.services.join(','));
        return { services: input.services.map((serviceName: string) => ({ serviceName })), failures: [] };
      },
    },
  };
  return { definition, calls };
}

const lambda: ServiceDefinition = {
  signingName: 'lambda',
  sdkPackage: '@aws-sdk/client-lambda',
  protocol: 'restJson1',
  operations: {
    GetAlias: (input) => ({ Name: input.Name, FunctionVersion: '1' }),
    UpdateAlias: (input) => ({ Name: input.Name, FunctionVersion: input.FunctionVersion }),
  },
};

const describeCheckout = new DescribeServicesCommand({ cluster: 'prod', services: ['checkout'] });

describe('API faults through the official clients', () => {
  it('a throttle share of 1 surfaces ThrottlingException after the SDK retried, without running the handler', async () => {
    const ecs = ecsService();
    const cloud = await startTestCloud([ecs.definition], {
      api: [{ service: 'ecs', throttleShare: 1 }],
      versions: [],
    });
    const error = await new ECSClient({ ...cloud.client, maxAttempts: 3 })
      .send(describeCheckout)
      .catch((e) => e);
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.attempts).toBe(3);
    expect(ecs.calls).toEqual([]);
  });

  it('a share of 0.5 throttles every second call, so the retry of a throttled call succeeds', async () => {
    const ecs = ecsService();
    const cloud = await startTestCloud([ecs.definition], { api: [{ throttleShare: 0.5 }], versions: [] });
    const client = new ECSClient({ ...cloud.client, maxAttempts: 3 });
    const first = await client.send(describeCheckout);
    const second = await client.send(describeCheckout);
    expect(first.$metadata.attempts).toBe(1);
    expect(second.$metadata.attempts).toBe(2);
    expect(ecs.calls).toEqual(['checkout', 'checkout']);
  });

  it('Lambda throttles with its own TooManyRequestsException (429), one operation only', async () => {
    const cloud = await startTestCloud([lambda], {
      api: [{ service: 'lambda', operation: 'UpdateAlias', throttleShare: 1 }],
      versions: [],
    });
    const client = new LambdaClient({ ...cloud.client, maxAttempts: 2 });
    const error = await client
      .send(new UpdateAliasCommand({ FunctionName: 'f', Name: 'live', FunctionVersion: '2' }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(error.$metadata.attempts).toBe(2);
    const alias = await client.send(new GetAliasCommand({ FunctionName: 'f', Name: 'live' }));
    expect(alias.$metadata.attempts).toBe(1);
  });

  it('a server-error share answers the service’s 500 (ECS ServerException), retried by the SDK', async () => {
    const ecs = ecsService();
    const cloud = await startTestCloud([ecs.definition], { api: [{ serverErrorShare: 1 }], versions: [] });
    const error = await new ECSClient({ ...cloud.client, maxAttempts: 2 })
      .send(describeCheckout)
      .catch((e) => e);
    expect(error.name).toBe('ServerException');
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(error.$metadata.attempts).toBe(2);
  });

  it('an outage answers 503 inside its cloud-time window only; the plan is read live', async () => {
    const ecs = ecsService();
    const cloud = await startTestCloud([ecs.definition]);
    const client = new ECSClient({ ...cloud.client, maxAttempts: 1 });
    cloud.faults.api.push({ service: 'ecs', outage: { from: cloudStart, to: cloudStart + 60_000 } });
    const error = await client.send(describeCheckout).catch((e) => e);
    expect(error.name).toBe('ServiceUnavailable');
    expect(error.$metadata.httpStatusCode).toBe(503);
    cloud.virtual.advance(1_000); // 1 real second at scale 60: the outage's minute of cloud time is over
    expect((await client.send(describeCheckout)).services?.[0]?.serviceName).toBe('checkout');
    expect(ecs.calls).toEqual(['checkout']);
  });

  it('adds the delay (real milliseconds) before answering', async () => {
    const ecs = ecsService();
    const cloud = await startTestCloud([ecs.definition], { api: [{ delayMs: 120 }], versions: [] });
    const started = performance.now();
    await new ECSClient(cloud.client).send(describeCheckout);
    expect(performance.now() - started).toBeGreaterThanOrEqual(120);
  });
});

describe('the share rule', () => {
  it('hits call n when floor(n·share) grows: 0.25 hits the 4th and 8th call, counted per fault object', () => {
    const clock = new ScaledClock({ cloudOrigin: cloudStart, realOrigin: 0, scale: 1 }, new VirtualClock(0));
    const plan = emptyFaultPlan();
    plan.api.push({ service: 'ecs', throttleShare: 0.25 });
    const decide = createFaultInjector(plan, clock);
    const outcomes = Array.from({ length: 8 }, () => decide('ecs', 'DescribeServices').outcome);
    expect(outcomes).toEqual([
      undefined,
      undefined,
      undefined,
      'throttle',
      undefined,
      undefined,
      undefined,
      'throttle',
    ]);
    expect(decide('lambda', 'GetAlias').outcome).toBeUndefined();
    plan.api.splice(0, 1, { service: 'ecs', throttleShare: 0.5 });
    expect([decide('ecs', 'X').outcome, decide('ecs', 'X').outcome]).toEqual([undefined, 'throttle']);
  });
});
