import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleLambdaZip } from './bundle-lambda-zip';
import { codeSha256 } from './code-sha256';

/** A Lambda deployment package written to disk. */
export interface LambdaArtifact {
  /** `<outDir>/<workload>/<version>.zip`, the layout of the S3 keys (`<workload>/<version>.zip`). */
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Base64 SHA-256, as Lambda's CodeSha256. */
  readonly sha256: string;
}

export interface LambdaBuild {
  readonly workload: string;
  readonly version: string;
  readonly outDir: string;
  /** The checkout's workloads folder (`<repository>/workloads`). */
  readonly workloadsRoot: string;
}

/** Bundles and zips a Lambda workload deterministically and writes it where the deploy step finds it. */
export async function buildLambdaArtifact(build: LambdaBuild): Promise<LambdaArtifact> {
  const bytes = await bundleLambdaZip(build.workload, build.workloadsRoot);
  const path = join(build.outDir, build.workload, `${build.version}.zip`);
  await mkdir(join(build.outDir, build.workload), { recursive: true });
  await writeFile(path, bytes);
  return { path, bytes, sha256: codeSha256(bytes) };
}
