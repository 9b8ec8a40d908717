import { Sha256 } from '@aws-crypto/sha256-js';
import type { STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { aws } from '../../aws/aws-error';

/**
 * An EKS bearer token, made the way `aws eks get-token` and aws-iam-authenticator make it: a presigned STS
 * GetCallerIdentity URL whose signature covers the `x-k8s-aws-id` header naming the cluster, base64url
 * encoded without padding behind `k8s-aws-v1.`. EKS calls STS with it to learn who is asking; Tollgate
 * itself sends nothing to STS.
 */
export const TOKEN_PREFIX = 'k8s-aws-v1.';
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** The presigned URL's X-Amz-Expires, as both reference implementations set it. */
const URL_EXPIRES_S = 60;
/**
 * EKS accepts a token for 15 minutes and `aws eks get-token` reports 14; Tollgate makes a new one after
 * 10, so a request in flight never carries one about to lapse.
 */
export const TOKEN_RENEW_AFTER_MS = 10 * 60_000;

/** A token for `clusterName`, signed at `at` with the STS client's region and credentials. */
export async function eksToken(sts: STSClient, clusterName: string, at: Date): Promise<string> {
  return aws(`sign an EKS token for cluster ${clusterName}`, async () => {
    const region = await sts.config.region();
    const signer = new SignatureV4({
      credentials: () => sts.config.credentials(),
      region,
      service: 'sts',
      sha256: Sha256,
    });
    // EKS verifies the token against the regional STS endpoint; an AWS_ENDPOINT_URL for STS (a local
    // cloud) does not apply to a URL that EKS, not Tollgate, calls.
    const hostname = `sts.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
    const signed = await signer.presign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname,
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: hostname, [CLUSTER_ID_HEADER]: clusterName },
      },
      { expiresIn: URL_EXPIRES_S, signingDate: at },
    );
    const query = new URLSearchParams(signed.query as Record<string, string>).toString();
    return `${TOKEN_PREFIX}${Buffer.from(`https://${hostname}/?${query}`).toString('base64url')}`;
  });
}
