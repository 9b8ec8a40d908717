import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { aws } from '../aws/aws-error';
import { USER_AGENT } from '../aws/user-agent';

/** Where a Lambda package goes in the bucket: `<workload>/<version>.zip`, as the build action documents. */
export function zipKey(workload: string, version: string): string {
  return `${workload}/${version}.zip`;
}

/**
 * An S3 client for the build job: its Region and credentials from the environment, as
 * aws-actions/configure-aws-credentials leaves them (AWS_REGION, and AWS_ENDPOINT_URL_S3 when set).
 */
export function environmentS3Client(): S3Client {
  return new S3Client({ customUserAgent: [USER_AGENT], retryMode: 'adaptive' });
}

export interface ZipUpload {
  readonly bucket: string;
  readonly key: string;
  readonly bytes: Uint8Array;
  /** Base64 SHA-256 (`codeSha256`): S3 checks the body against it and refuses a corrupted upload. */
  readonly sha256: string;
}

/**
 * Puts the package in S3 and returns it in the deploy action's artifact form, `s3://<bucket>/<key>`, with
 * `?versionId=` when the bucket is versioned, so the release stages exactly these bytes even if the key
 * is written again. Lambda reads the package from a bucket in its own Region.
 */
export async function uploadZip(s3: S3Client, upload: ZipUpload): Promise<string> {
  const output = await aws(`upload ${upload.key} to S3 bucket ${upload.bucket}`, () =>
    s3.send(
      new PutObjectCommand({
        Bucket: upload.bucket,
        Key: upload.key,
        Body: upload.bytes,
        ContentType: 'application/zip',
        ChecksumSHA256: upload.sha256,
      }),
    ),
  );
  const uri = `s3://${upload.bucket}/${upload.key}`;
  return output.VersionId ? `${uri}?versionId=${encodeURIComponent(output.VersionId)}` : uri;
}
