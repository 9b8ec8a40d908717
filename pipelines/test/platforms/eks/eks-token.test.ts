import { createHash, createHmac } from 'node:crypto';
import { STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src/aws/aws-error';
import { eksToken } from '../../../src/platforms/eks/eks-token';

const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzE+/session=token',
};
const AT = new Date('2026-03-04T05:06:07Z');

function decode(token: string): URL {
  expect(token.startsWith('k8s-aws-v1.')).toBe(true);
  const encoded = token.slice('k8s-aws-v1.'.length);
  expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding, as aws-iam-authenticator expects
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
/** RFC 3986 encoding, as SigV4 canonical query strings use it. */
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The signature STS computes for a presigned GET with no body, written out from the SigV4 specification
 * (independently of @smithy/signature-v4), so a token the adapter signs wrongly fails here.
 */
function expectedSignature(url: URL, cluster: string, secret: string): string {
  const query = [...url.searchParams.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [encode(name), encode(value)])
    .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    query,
    `host:${url.host}\nx-k8s-aws-id:${cluster}\n`,
    'host;x-k8s-aws-id',
    sha256(''),
  ].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date') as string;
  const [, date, region] = /^[^/]+\/(\d{8})\/([^/]+)\/sts\/aws4_request$/.exec(
    url.searchParams.get('X-Amz-Credential') as string,
  ) as unknown as [string, string, string];
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    `${date}/${region}/sts/aws4_request`,
    sha256(canonicalRequest),
  ].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), 'sts'), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('EKS tokens', () => {
  it('are a presigned GetCallerIdentity URL for the regional STS endpoint, signing the cluster name', async () => {
    const sts = new STSClient({ region: 'eu-west-1', credentials: CREDENTIALS });
    const url = decode(await eksToken(sts, 'securecart-production-eks', AT));
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20260304/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20260304T050607Z',
      'X-Amz-Expires': '60',
      'X-Amz-Security-Token': CREDENTIALS.sessionToken,
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Signature': expectedSignature(url, 'securecart-production-eks', CREDENTIALS.secretAccessKey),
    });
  });

  it('use the China partition endpoint in China regions', async () => {
    const sts = new STSClient({ region: 'cn-north-1', credentials: CREDENTIALS });
    const url = decode(await eksToken(sts, 'c', AT));
    expect(url.host).toBe('sts.cn-north-1.amazonaws.com.cn');
  });

  it('say so when there are no credentials to sign with', async () => {
    const sts = new STSClient({
      region: 'eu-west-1',
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      },
    });
    const error = await eksToken(sts, 'securecart-production-eks', AT).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toHaveProperty(
      'message',
      'could not sign an EKS token for cluster securecart-production-eks: CredentialsProviderError: Could not load credentials from any providers',
    );
  });
});
