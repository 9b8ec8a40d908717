import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { codeSha256 } from '../../src/artifacts/code-sha256';
import { uploadZip, zipKey } from '../../src/artifacts/upload-zip';
import { artifactSource } from '../../src/inputs/artifact-input';
import { expectValidRequests, modelled, sentRequests } from '../aws/validated-mock';

const S3 = '@aws-sdk/client-s3';
const s3 = mockClient(S3Client);
const bytes = new TextEncoder().encode('PK zip bytes');

afterEach(() => {
  s3.reset();
});

describe('uploadZip', () => {
  it('puts the package under <workload>/<version>.zip with its checksum, and names the version stored', async () => {
    s3.on(PutObjectCommand).resolves(modelled(S3, 'PutObject', { VersionId: 'v1/abc', ETag: '"e"' }));
    const upload = {
      bucket: 'securecart-artifacts',
      key: zipKey('payments', '1.4.0'),
      bytes,
      sha256: codeSha256(bytes),
    };
    const uri = await uploadZip(new S3Client({ region: 'eu-west-1' }), upload);
    expect(uri).toBe('s3://securecart-artifacts/payments/1.4.0.zip?versionId=v1%2Fabc');
    // The deploy action reads it back as the same object.
    expect(artifactSource(uri)).toEqual({
      kind: 's3',
      bucket: 'securecart-artifacts',
      key: 'payments/1.4.0.zip',
      versionId: 'v1/abc',
    });
    expect(sentRequests(s3)).toEqual([
      {
        operation: 'PutObject',
        input: {
          Bucket: 'securecart-artifacts',
          Key: 'payments/1.4.0.zip',
          Body: bytes,
          ContentType: 'application/zip',
          ChecksumSHA256: codeSha256(bytes),
        },
      },
    ]);
    expectValidRequests(s3, S3);
  });

  it('gives the plain URI for an unversioned bucket, and says what failed', async () => {
    s3.on(PutObjectCommand)
      .resolvesOnce(modelled(S3, 'PutObject', { ETag: '"e"' }))
      .rejectsOnce(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const client = new S3Client({ region: 'eu-west-1' });
    const upload = { bucket: 'b-artifacts', key: 'payments/1.4.0.zip', bytes, sha256: codeSha256(bytes) };
    expect(await uploadZip(client, upload)).toBe('s3://b-artifacts/payments/1.4.0.zip');
    await expect(uploadZip(client, upload)).rejects.toThrow(
      'could not upload payments/1.4.0.zip to S3 bucket b-artifacts: AccessDenied: Access Denied',
    );
  });
});
