import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../src/services/service';
import { startTestCloud } from './test-cloud';

const ecs: ServiceDefinition = {
  signingName: 'ecs',
  sdkPackage: '@aws-sdk/client-ecs',
  protocol: 'awsJson1_1',
  operations: {
    DescribeServices() {
      throw new TypeError('cannot read properties of undefined (reading "deployments")');
    },
  },
};

const target = {
  'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeServices',
  'content-type': 'application/x-amz-json-1.1',
};
const scope =
  'Credential=AKIDLOCALCLOUD/20260301/eu-west-1/ecs/aws4_request, SignedHeaders=host, Signature=00';

describe('the AWS server', () => {
  it('answers a request without SigV4 with MissingAuthenticationTokenException, and one without a scope with IncompleteSignatureException', async () => {
    const cloud = await startTestCloud([ecs]);
    const unsigned = await fetch(cloud.server.url, { method: 'POST', headers: target, body: '{}' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(unsigned.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const partial = await fetch(cloud.server.url, {
      method: 'POST',
      headers: { ...target, authorization: 'AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00' },
      body: '{}',
    });
    expect(partial.status).toBe(403);
    expect(((await partial.json()) as { __type: string }).__type).toBe('IncompleteSignatureException');
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    const cloud = await startTestCloud([ecs]);
    const response = await fetch(cloud.server.url, {
      method: 'POST',
      headers: { ...target, authorization: `AWS4-HMAC-SHA256 ${scope}` },
      body: '{"cluster":',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toBe('SerializationException');
    expect(body.message).toMatch(/^the request body of DescribeServices cannot be read: /);
  });

  it('turns an unexpected handler failure into a 500 InternalFailure with no stack, logged once per call', async () => {
    const cloud = await startTestCloud([ecs]);
    const client = new ECSClient({ ...cloud.client, maxAttempts: 1 });
    const error = await client.send(new DescribeServicesCommand({ services: ['checkout'] })).catch((e) => e);
    expect(error.name).toBe('InternalFailure');
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(error.message).toBe(
      `DescribeServices failed inside the local cloud (request ${error.$metadata.requestId}); its log says why`,
    );
    expect(cloud.logged).toEqual([
      `local cloud: ecs DescribeServices failed (request ${error.$metadata.requestId}): cannot read properties of undefined (reading "deployments")`,
    ]);
  });

  it('names the services it serves when a request signs for another', async () => {
    const cloud = await startTestCloud([ecs]);
    const response = await fetch(cloud.server.url, {
      method: 'POST',
      headers: { ...target, authorization: `AWS4-HMAC-SHA256 ${scope.replace('/ecs/', '/kinesis/')}` },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(
      "the local cloud serves no service signing as 'kinesis' (it serves ecs)",
    );
  });

  it('serves a mounted handler before AWS routing, longest prefix first', async () => {
    const cloud = await startTestCloud([ecs]);
    cloud.server.mount('/v1/', (_request, response) => response.end('v1'));
    cloud.server.mount('/v1/traces', (_request, response) => response.end('traces'));
    expect(await (await fetch(`${cloud.server.url}/v1/traces`, { method: 'POST' })).text()).toBe('traces');
    expect(await (await fetch(`${cloud.server.url}/v1/metrics`)).text()).toBe('v1');
  });

  it('refuses a definition whose protocol is not the one its SDK speaks', async () => {
    await expect(startTestCloud([{ ...ecs, protocol: 'awsJson1_0' }])).rejects.toThrow(
      'the ecs service is defined as awsJson1_0, but @aws-sdk/client-ecs speaks awsJson1_1: fix its ServiceDefinition',
    );
  });
});
