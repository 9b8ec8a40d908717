/** Tollgate's version, as every AWS request names it (a test keeps it equal to pipelines/package.json). */
export const TOLLGATE_VERSION = '0.1.0';

/** Appended to the SDK's own user agent, so AWS-side logs (CloudTrail) show which calls Tollgate made. */
export const USER_AGENT: [string, string] = ['tollgate', TOLLGATE_VERSION];
