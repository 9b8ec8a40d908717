/**
 * The checks EKS (aws-iam-authenticator's token verifier) makes on a bearer token before it sends the
 * presigned request to STS: `k8s-aws-v1.` + base64url of an https URL to an STS endpoint, path `/`, only the
 * query parameters a presigned GetCallerIdentity has, each once, Action=GetCallerIdentity, the
 * `x-k8s-aws-id` header among the signed headers, X-Amz-Expires 0..900 and an X-Amz-Date at most 15 minutes
 * old (on cloud time). The local cloud stops there: it cannot check the signature (it does not know the
 * caller's secret key), so it also cannot tell which cluster name the signed header carried; in AWS a token
 * signed for another cluster fails at STS.
 */
const PREFIX = 'k8s-aws-v1.';
const MAX_TOKEN_LENGTH = 4096;
const EXPIRATION_MS = 15 * 60_000;
const STS_HOST = /^sts(\.[a-z]{2}(-[a-z]+)+-\d+)?\.amazonaws\.com(\.cn)?$/;
const ALLOWED_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
  'x-amz-user-agent',
]);

/** Why `authorization` (the whole header) is not an EKS token EKS would pass on to STS; undefined if it is. */
export function eksTokenProblem(authorization: string | undefined, now: number): string | undefined {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : '';
  if (!token) return 'no bearer token';
  if (token.length > MAX_TOKEN_LENGTH) return 'token is too large';
  if (!token.startsWith(PREFIX)) return `token is missing expected "${PREFIX}" prefix`;
  const encoded = token.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) return 'token is not base64url without padding';
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return 'token does not hold a URL';
  }
  return urlProblem(url, now);
}

function urlProblem(url: URL, now: number): string | undefined {
  if (url.protocol !== 'https:') return `unexpected scheme "${url.protocol}" in pre-signed URL`;
  if (!STS_HOST.test(url.host)) return `unexpected hostname "${url.host}" in pre-signed URL`;
  if (url.pathname !== '/') return 'unexpected path in pre-signed URL';
  const query = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const lower = name.toLowerCase();
    if (!ALLOWED_PARAMETERS.has(lower)) return `non-whitelisted query parameter "${name}"`;
    if (query.has(lower)) return 'query parameter with multiple values not supported';
    query.set(lower, value);
  }
  if (query.get('action') !== 'GetCallerIdentity') return 'unexpected action parameter in pre-signed URL';
  const signed = (query.get('x-amz-signedheaders') ?? '').toLowerCase().split(';');
  if (!signed.includes('x-k8s-aws-id'))
    return 'client did not sign the x-k8s-aws-id header in the pre-signed URL';
  const expires = Number(query.get('x-amz-expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900) {
    return 'invalid X-Amz-Expires parameter in pre-signed URL';
  }
  const date = amzDate(query.get('x-amz-date') ?? '');
  if (date === undefined) return 'X-Amz-Date parameter must be present in pre-signed URL';
  if (now > date + EXPIRATION_MS) return 'X-Amz-Date parameter is expired (15 minute expiration)';
  return undefined;
}

/** `20260101T000000Z` → epoch ms. */
function amzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return Date.UTC(year as number, (month as number) - 1, day, hour, minute, second);
}
