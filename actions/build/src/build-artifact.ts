import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { buildLambdaArtifact } from '@tollgate/pipelines/artifacts/lambda-artifact';
import { pushImage } from '@tollgate/pipelines/artifacts/push-image';
import { environmentS3Client, uploadZip, zipKey } from '@tollgate/pipelines/artifacts/upload-zip';
import type { BuildPlan } from './build-plan';

/** What a build produced, in the action's output form. */
export interface BuiltArtifact {
  /** In the deploy action's `artifact` format: `zip:<path>`, `s3://<bucket>/<key>[?versionId=]`, `image:<uri>@<digest>`. */
  readonly artifact: string;
  /** Base64 SHA-256 of a zip; empty for an image. */
  readonly sha256: string;
  /** The pushed image's digest; empty for a zip. */
  readonly digest: string;
}

export interface ArtifactRequest {
  readonly workload: string;
  readonly version: string;
  readonly plan: BuildPlan;
  /** The repository root (the job's working directory). */
  readonly root: string;
  readonly outDir: string;
  readonly s3Bucket: string | undefined;
}

/** Builds the workload's artifact: the zip (uploaded when a bucket is given) or the pushed image. */
export async function buildArtifact(request: ArtifactRequest): Promise<BuiltArtifact> {
  const outDir = resolve(request.root, request.outDir);
  if (request.plan.kind === 'image') {
    await mkdir(outDir, { recursive: true });
    const repositories = request.plan.repositories;
    const digest = await pushImage(
      {
        workload: request.workload,
        version: request.version,
        repositories,
        metadataFile: join(outDir, `${request.workload}-${request.version}.metadata.json`),
      },
      { cwd: request.root },
    );
    return { artifact: `image:${repositories[0]}@${digest}`, sha256: '', digest };
  }
  const zip = await buildLambdaArtifact({
    workload: request.workload,
    version: request.version,
    outDir,
    workloadsRoot: join(request.root, 'workloads'),
  });
  if (request.s3Bucket === undefined) {
    // A relative out-dir stays relative, so a later job that downloads the folder finds the same path.
    const path = isAbsolute(request.outDir) ? zip.path : relative(request.root, zip.path);
    return { artifact: `zip:${path}`, sha256: zip.sha256, digest: '' };
  }
  const uri = await uploadZip(environmentS3Client(), {
    bucket: request.s3Bucket,
    key: zipKey(request.workload, request.version),
    bytes: zip.bytes,
    sha256: zip.sha256,
  });
  return { artifact: uri, sha256: zip.sha256, digest: '' };
}
