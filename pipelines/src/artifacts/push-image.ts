import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { DockerError } from './docker-error';
import { dockerFailure } from './docker-failure';
import { buildxArguments, type ImageBuild } from './image-build';

/** The image's content address, as registries name it. */
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Enough of docker's standard error to explain a failure; the whole log goes to the job's log. */
const KEPT_STDERR = 64 * 1024;

export interface PushOptions {
  /** The repository root: the build context. */
  readonly cwd: string;
  /** The docker CLI; default `docker` from PATH. */
  readonly docker?: string;
}

/**
 * Builds the workload's image with `docker buildx build --push` (no shell) and returns its digest from
 * the metadata file. Logging in to the registries is the workflow's part (aws-actions/amazon-ecr-login
 * before this step), as is setting up buildx (docker/setup-buildx-action).
 */
export async function pushImage(build: ImageBuild, options: PushOptions): Promise<string> {
  await runDocker(options.docker ?? 'docker', buildxArguments(build), options.cwd);
  return readDigest(build.metadataFile);
}

function runDocker(docker: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(docker, args, { cwd, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString('utf8')).slice(-KEPT_STDERR);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new DockerError(
          error.code === 'ENOENT'
            ? `docker is not installed (no "${docker}" found): a container workload's image is built with docker buildx`
            : `could not run ${docker}: ${error.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new DockerError(dockerFailure(code, stderr)));
    });
  });
}

async function readDigest(metadataFile: string): Promise<string> {
  let metadata: unknown;
  try {
    metadata = JSON.parse(await readFile(metadataFile, 'utf8'));
  } catch {
    throw new DockerError(`docker buildx wrote no readable build metadata to ${metadataFile}`);
  }
  const digest = (metadata as Record<string, unknown> | null)?.['containerimage.digest'];
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw new DockerError(
      `the build metadata in ${metadataFile} has no image digest (containerimage.digest)`,
    );
  }
  return digest;
}
