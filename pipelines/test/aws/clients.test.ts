import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AwsCallError, aws } from '../../src/aws/aws-error';
import { createAwsClients } from '../../src/aws/clients';
import { awsSettings } from '../../src/aws/settings';
import { TOLLGATE_VERSION, USER_AGENT } from '../../src/aws/user-agent';

describe('the one AWS client factory', () => {
  it('takes the region from the target and the endpoints from AWS_ENDPOINT_URL, per service first', async () => {
    const settings = awsSettings('eu-west-1', {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_XRAY: 'http://127.0.0.1:4567',
    });
    expect(settings).toEqual({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4566',
      serviceEndpoints: { xray: 'http://127.0.0.1:4567' },
    });
    const clients = createAwsClients(settings);
    expect(await clients.lambda.config.region()).toBe('eu-west-1');
    const lambdaEndpoint = await clients.lambda.config.endpoint?.();
    expect(`${lambdaEndpoint?.protocol}//${lambdaEndpoint?.hostname}:${lambdaEndpoint?.port}`).toBe(
      'http://127.0.0.1:4566',
    );
    const xrayEndpoint = await clients.xray.config.endpoint?.();
    expect(xrayEndpoint?.port).toBe(4567);
    expect(await clients.ecs.config.maxAttempts()).toBe(6);
    expect((await clients.ecs.config.retryStrategy()) as { mode?: string }).toMatchObject({
      mode: 'adaptive',
    });
    expect(clients.ecs.config.customUserAgent).toEqual([USER_AGENT]);
    expect(clients.lambda).toBe(clients.lambda);
  });

  it('uses the real endpoints when none is set', async () => {
    const clients = createAwsClients(awsSettings('eu-west-1', {}));
    expect(clients.lambda.config.endpoint).toBeUndefined();
  });

  it('names the version the package has', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(TOLLGATE_VERSION).toBe(pkg.version);
  });
});

describe('a failed AWS call', () => {
  it('says what Tollgate was doing, and what kind of failure it was', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const error = await aws('shift alias live of payments to version 42', () =>
      Promise.reject(throttled),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error.message).toBe(
      'could not shift alias live of payments to version 42: ThrottlingException: Rate exceeded',
    );
    expect(error.kind).toBe('throttled');
    expect(error.cause).toBe(throttled);
    const forbidden = Object.assign(new Error('denied'), {
      name: 'Forbidden',
      $metadata: { httpStatusCode: 403 },
    });
    expect((await aws('read', () => Promise.reject(forbidden)).catch((e) => e)).kind).toBe('access-denied');
  });

  it('counts the query-protocol name CloudWatch throttles with (400 Throttling) as a throttle', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    });
    expect((await aws('describe alarms', () => Promise.reject(throttled)).catch((e) => e)).kind).toBe(
      'throttled',
    );
  });
});
