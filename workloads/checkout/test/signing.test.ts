import { describe, expect, it } from 'vitest';
import { credentialsFromEnvironment } from '../src/aws-credentials';
import { executeApiRegion, signRequest } from '../src/sigv4';

const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const AT = new Date('2015-08-30T12:36:00Z');

describe('signRequest', () => {
  it("reproduces AWS's published SigV4 get-vanilla example", () => {
    const headers = signRequest(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), body: '' },
      EXAMPLE,
      {
        region: 'us-east-1',
        service: 'service',
        now: AT,
      },
    );
    expect(headers).toEqual({
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    });
  });

  // Expected signatures were cross-checked against @smithy/signature-v4 5.7.5 (the AWS SDK's signer).
  it('signs an execute-api POST with its body hash', () => {
    const url = new URL('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders');
    const headers = signRequest({ method: 'POST', url, body: '{"a":1}' }, EXAMPLE, {
      region: 'eu-west-1',
      service: 'execute-api',
      now: AT,
    });
    expect(headers.authorization).toContain(
      'SignedHeaders=host;x-amz-date, Signature=c89bdfed2fd3a209ec4e1db553d14e03beaf09dc0c1bde3e7e5a3f84f76d1567',
    );
  });

  it('double-encodes path segments, sorts the query and signs the session token', () => {
    const url = new URL(
      "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/a%20b/it's?z=1&a=2&a=1&sp=a b",
    );
    const headers = signRequest(
      { method: 'POST', url, body: '' },
      { ...EXAMPLE, sessionToken: 'SESSIONTOKEN' },
      {
        region: 'eu-west-1',
        service: 'execute-api',
        now: AT,
      },
    );
    expect(headers['x-amz-security-token']).toBe('SESSIONTOKEN');
    expect(headers.authorization).toContain(
      'SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=0cfffa09237bddeb8742ed26aac269a7bd7e51e7658b5f346d6071ebe64ee8b2',
    );
  });

  it('detects execute-api hosts and their region', () => {
    expect(executeApiRegion(new URL('https://a1b2c3.execute-api.ap-southeast-2.amazonaws.com/'))).toBe(
      'ap-southeast-2',
    );
    expect(executeApiRegion(new URL('https://orders.securecart.example/'))).toBeUndefined();
    expect(executeApiRegion(new URL('http://127.0.0.1:3000/'))).toBeUndefined();
  });
});

describe('credentialsFromEnvironment', () => {
  it('uses static keys from the environment first', async () => {
    const provider = credentialsFromEnvironment({
      AWS_ACCESS_KEY_ID: 'AK',
      AWS_SECRET_ACCESS_KEY: 'SK',
      AWS_SESSION_TOKEN: 'T',
    });
    expect(await provider()).toEqual({ accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'T' });
  });

  it('reads the task role from the ECS endpoint and caches it until 5 minutes before expiry', async () => {
    const calls: string[] = [];
    let clock = new Date('2025-01-01T00:00:00Z');
    const fakeFetch = (async (url: string | URL | Request) => {
      calls.push(String(url));
      return Response.json({
        AccessKeyId: `AK${calls.length}`,
        SecretAccessKey: 'SK',
        Token: 'T',
        Expiration: '2025-01-01T01:00:00Z',
      });
    }) as typeof fetch;
    const provider = credentialsFromEnvironment(
      { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' },
      fakeFetch,
      () => clock,
    );
    expect((await provider()).accessKeyId).toBe('AK1');
    clock = new Date('2025-01-01T00:54:00Z');
    expect((await provider()).accessKeyId).toBe('AK1');
    clock = new Date('2025-01-01T00:56:00Z');
    expect((await provider()).accessKeyId).toBe('AK2');
    expect(calls).toEqual([
      'http://169.254.170.2/v2/credentials/abc',
      'http://169.254.170.2/v2/credentials/abc',
    ]);
  });

  it('fails clearly when there are no credentials at all', async () => {
    await expect(credentialsFromEnvironment({})()).rejects.toThrow(/no AWS credentials/);
  });
});
