import { createHash } from 'node:crypto';

/**
 * A deployment package's SHA-256 as Lambda reports it (`CodeSha256`): the digest in base64, not hex. The
 * same value is S3's `ChecksumSHA256`, so one string checks the upload and the function's code.
 */
export function codeSha256(zip: Uint8Array): string {
  return createHash('sha256').update(zip).digest('base64');
}
