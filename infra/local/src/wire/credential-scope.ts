import type { WireRequest } from './wire-message';

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  signingName: string;
}

export type ScopeResult = { scope: CredentialScope } | { missing: 'token' | 'credential' };

/**
 * The SigV4 credential scope of a request, from `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/
 * <region>/<service>/aws4_request, ...` or a presigned URL's `X-Amz-Credential`. The signature itself is
 * not verified: the local cloud only needs to know which service and Region the request is for.
 */
export function credentialScope(request: WireRequest): ScopeResult {
  const authorization = request.headers.authorization;
  const presigned = request.query.get('X-Amz-Credential');
  if (authorization === undefined && presigned === null) return { missing: 'token' };
  const credential = presigned ?? /Credential=([^,\s]+)/.exec(authorization ?? '')?.[1];
  const parts = credential?.split('/') ?? [];
  const [accessKeyId, date, region, signingName, terminator] = parts;
  if (!accessKeyId || !date || !region || !signingName || terminator !== 'aws4_request') {
    return { missing: 'credential' };
  }
  return { scope: { accessKeyId, date, region, signingName } };
}
