import { describe, expect, it } from 'vitest';
import { artifactSource, releaseArtifact } from '../../src/inputs/artifact-input';
import { findTarget } from '../../src/targets/manifest';
import { TEST_MANIFEST } from '../fixtures/manifest';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/production/checkout';

describe('--artifact', () => {
  it.each([
    [`image:${REPO}:2.0.0`, { kind: 'image', uri: `${REPO}:2.0.0` }],
    [`image:${REPO}@${DIGEST}`, { kind: 'image', uri: `${REPO}@${DIGEST}` }],
    ['image:localhost:5000/checkout:dev', { kind: 'image', uri: 'localhost:5000/checkout:dev' }],
    ['zip:dist/orders.zip', { kind: 'zip', path: 'dist/orders.zip' }],
    [
      's3://shop-artifacts/orders/2.0.0.zip',
      { kind: 's3', bucket: 'shop-artifacts', key: 'orders/2.0.0.zip' },
    ],
    [
      's3://shop-artifacts/orders/2.0.0%2Bbuild.zip?versionId=3sL4kqtJlcpXroDTDmJ',
      {
        kind: 's3',
        bucket: 'shop-artifacts',
        key: 'orders/2.0.0+build.zip',
        versionId: '3sL4kqtJlcpXroDTDmJ',
      },
    ],
  ])('reads %s', (text, source) => {
    expect(artifactSource(text)).toEqual(source);
  });

  it.each([
    ['checkout:2.0.0', '--artifact "checkout:2.0.0" is not an artifact'],
    [`image:${REPO}`, `--artifact image "${REPO}" is not an image reference`],
    [`image:${REPO}@sha256:abc`, 'is not an image reference'],
    ['zip:', '--artifact zip: needs the path of the package'],
    ['s3://shop-artifacts/', '--artifact "s3://shop-artifacts/" is not an S3 object'],
    ['s3://shop-artifacts/a.zip?versionid=1', 'is not an S3 object: s3://<bucket>/<key>[?versionId=<id>]'],
  ])('refuses %s, saying what it accepts', (text, message) => {
    expect(() => artifactSource(text)).toThrow(message);
  });

  it("defaults a container target to its repository's image tagged with the version; others to none", () => {
    const checkout = { ...findTarget(TEST_MANIFEST, 'checkout', 'production'), imageRepository: REPO };
    expect(releaseArtifact(undefined, checkout, '2.0.0')).toEqual({ kind: 'image', uri: `${REPO}:2.0.0` });
    expect(() => releaseArtifact(undefined, checkout, '2.0.0+sha.1')).toThrow(
      'version 2.0.0+sha.1 cannot be an image tag ("+" is not allowed in tags); give the image with --artifact image:<uri>',
    );
    expect(
      releaseArtifact(undefined, findTarget(TEST_MANIFEST, 'orders', 'production'), '2.0.0'),
    ).toBeUndefined();
    expect(releaseArtifact('zip:o.zip', findTarget(TEST_MANIFEST, 'orders', 'production'), '2')).toEqual({
      kind: 'zip',
      path: 'o.zip',
    });
  });
});
