import { InputError } from '../errors/input-error';
import type { ArtifactSource } from '../platforms/port';
import type { ReleaseTarget } from '../targets/manifest';

export const ARTIFACT_HELP =
  'what to stage: image:<uri> (a container image, by tag or @sha256 digest), zip:<path> (a Lambda ' +
  'deployment package) or s3://<bucket>/<key>[?versionId=<id>] (one in S3); default for a container ' +
  'target with an imageRepository in the manifest: <imageRepository>:<version>';

/** Container images: a registry host, a repository path, and a tag or a digest. */
const IMAGE = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;

/** Parses `--artifact`; every problem names the flag and what it accepts. */
export function artifactSource(text: string, what = '--artifact'): ArtifactSource {
  if (text.startsWith('image:')) {
    const uri = text.slice('image:'.length);
    if (!IMAGE.test(uri)) {
      throw new InputError(
        `${what} image "${uri}" is not an image reference: <registry>/<repository>:<tag> or <registry>/<repository>@sha256:<64 hex digits>`,
      );
    }
    return { kind: 'image', uri };
  }
  if (text.startsWith('zip:')) {
    const path = text.slice('zip:'.length);
    if (path.trim() === '') throw new InputError(`${what} zip: needs the path of the package`);
    return { kind: 'zip', path };
  }
  if (text.startsWith('s3://')) return s3Source(text, what);
  throw new InputError(`${what} "${text}" is not an artifact; ${ARTIFACT_HELP}`);
}

function s3Source(text: string, what: string): ArtifactSource {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  const key = url ? decodeURIComponent(url.pathname.slice(1)) : '';
  const extra = url ? [...url.searchParams.keys()].filter((name) => name !== 'versionId') : [];
  if (!url || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(url.hostname) || key === '' || extra.length > 0) {
    throw new InputError(`${what} "${text}" is not an S3 object: s3://<bucket>/<key>[?versionId=<id>]`);
  }
  const versionId = url.searchParams.get('versionId');
  return { kind: 's3', bucket: url.hostname, key, ...(versionId ? { versionId } : {}) };
}

/**
 * The artifact of a release: the one given, else the image the build pushed to the target's repository
 * under the release's version (the kit's convention for container targets); else none, and the platform
 * says whether it needs one.
 */
export function releaseArtifact(
  given: string | undefined,
  target: ReleaseTarget,
  version: string,
): ArtifactSource | undefined {
  if (given !== undefined) return artifactSource(given);
  const repository = 'imageRepository' in target ? target.imageRepository : undefined;
  if (!repository) return undefined;
  if (version.includes('+')) {
    throw new InputError(
      `version ${version} cannot be an image tag ("+" is not allowed in tags); give the image with --artifact image:<uri>`,
    );
  }
  return { kind: 'image', uri: `${repository}:${version}` };
}
