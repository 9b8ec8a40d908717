import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4, type SignatureV4Init } from '@smithy/signature-v4';

/**
 * AWS Signature Version 4 for checkout's calls to the IAM-authorised order API (API Gateway `execute-api`),
 * done by the AWS SDK's own signer (`@smithy/signature-v4`). Headers that proxies rewrite (X-Amzn-Trace-Id,
 * User-Agent) stay unsigned, as in the SDKs.
 */

/** Static credentials or a provider of them; server.ts passes the SDK's default chain (memoized). */
export type SigningCredentials = SignatureV4Init['credentials'];

export interface SigV4Options {
  region: string;
  credentials: SigningCredentials;
  /** The signing name; `execute-api` (API Gateway) unless given. */
  service?: string;
  /** The signing clock, fixed in tests; the current time unless given. */
  now?: () => Date;
}

export interface SignableRequest {
  method: string;
  url: URL;
  headers: Readonly<Record<string, string>>;
  body?: string;
}

/** Answers the headers to send: the request's own plus `authorization`, `x-amz-date` and, with temporary
 * credentials, `x-amz-security-token`. `host` is signed but left for fetch to set from the URL. */
export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;

export function sigv4Signer(options: SigV4Options): RequestSigner {
  const signer = new SignatureV4({
    service: options.service ?? 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
    // The payload hash is part of the signature either way; API Gateway needs no x-amz-content-sha256 header.
    applyChecksum: false,
  });
  return async ({ method, url, headers, body }) => {
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const seen = query[name];
      query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    const signed = await signer.sign(
      {
        method: method.toUpperCase(),
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query,
        headers: { ...headers, host: url.host },
        ...(body === undefined ? {} : { body }),
      },
      options.now ? { signingDate: options.now() } : {},
    );
    const { host: _host, ...toSend } = signed.headers;
    return toSend;
  };
}

/** `https://<id>.execute-api.<region>.amazonaws.com/...` → region; anything else is not signed. */
export function executeApiRegion(url: URL): string | undefined {
  return /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(url.hostname)?.[1];
}
