import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerError } from '../../src/artifacts/docker-error';
import { dockerFailure } from '../../src/artifacts/docker-failure';
import { buildxArguments, imageTags } from '../../src/artifacts/image-build';
import { pushImage } from '../../src/artifacts/push-image';

const STAGING = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/securecart/staging/checkout';
const PRODUCTION = '222222222222.dkr.ecr.eu-west-1.amazonaws.com/securecart/production/checkout';
const DIGEST = `sha256:${'ab12'.repeat(16)}`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-push-image-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A stand-in for the docker CLI: records its arguments and writes the metadata file buildx would. */
async function fakeDocker(metadata: string, exitCode = 0, stderr = ''): Promise<string> {
  const path = join(dir, `docker-${Math.random().toString(36).slice(2)}`);
  await writeFile(
    path,
    [
      '#!/usr/bin/env node',
      "const fs = require('node:fs');",
      `fs.writeFileSync(${JSON.stringify(join(dir, 'args.json'))}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }));`,
      "const file = process.argv[process.argv.indexOf('--metadata-file') + 1];",
      `fs.writeFileSync(file, ${JSON.stringify(metadata)});`,
      `process.stderr.write(${JSON.stringify(stderr)});`,
      `process.exit(${exitCode});`,
    ].join('\n'),
  );
  await chmod(path, 0o755);
  return path;
}

describe('buildxArguments', () => {
  it('builds from the repository root with the workload Dockerfile, one tag per repository, and pushes', () => {
    const build = {
      workload: 'checkout',
      version: '1.4.0',
      repositories: [STAGING, PRODUCTION],
      metadataFile: '/m.json',
    };
    expect(imageTags(build)).toEqual([`${STAGING}:1.4.0`, `${PRODUCTION}:1.4.0`]);
    expect(buildxArguments(build)).toEqual([
      'buildx',
      'build',
      '--push',
      '--platform',
      'linux/amd64',
      '--provenance=false',
      '--sbom=false',
      '--progress=plain',
      '--metadata-file',
      '/m.json',
      '--file',
      'workloads/checkout/Dockerfile',
      '--tag',
      `${STAGING}:1.4.0`,
      '--tag',
      `${PRODUCTION}:1.4.0`,
      '.',
    ]);
  });
});

describe('pushImage', () => {
  const build = () => ({
    workload: 'checkout',
    version: '1.4.0-pr.12.3',
    repositories: [STAGING],
    metadataFile: join(dir, 'metadata.json'),
  });

  it('runs docker in the repository root and returns containerimage.digest', async () => {
    const metadata = JSON.stringify({
      'containerimage.digest': DIGEST,
      'image.name': `${STAGING}:1.4.0-pr.12.3`,
    });
    const docker = await fakeDocker(metadata);
    expect(await pushImage(build(), { cwd: dir, docker })).toBe(DIGEST);
    const recorded = JSON.parse(await readFile(join(dir, 'args.json'), 'utf8'));
    expect(recorded.cwd).toBe(dir);
    expect(recorded.args).toEqual(buildxArguments(build()));
  });

  it('refuses metadata without a digest', async () => {
    const docker = await fakeDocker(JSON.stringify({ 'image.name': STAGING }));
    await expect(pushImage(build(), { cwd: dir, docker })).rejects.toThrow(
      `the build metadata in ${join(dir, 'metadata.json')} has no image digest (containerimage.digest)`,
    );
  });

  it('says what docker said when the build fails', async () => {
    const docker = await fakeDocker(
      '{}',
      1,
      '#12 ERROR: process "npm ci" did not complete\nERROR: failed to solve: exit code: 1\n',
    );
    await expect(pushImage(build(), { cwd: dir, docker })).rejects.toThrow(
      'docker buildx build failed (exit 1): ERROR: failed to solve: exit code: 1',
    );
  });

  it('says docker is missing when there is none', async () => {
    const docker = join(dir, 'no-such-docker');
    const failure = pushImage(build(), { cwd: dir, docker });
    await expect(failure).rejects.toBeInstanceOf(DockerError);
    await expect(failure).rejects.toThrow(
      `docker is not installed (no "${docker}" found): a container workload's image is built with docker buildx`,
    );
  });

  it("fails with one sentence on this machine's docker, which has no daemon (no image is built here)", async () => {
    const failure = pushImage(build(), { cwd: dir });
    await expect(failure).rejects.toBeInstanceOf(DockerError);
    await expect(failure).rejects.toThrow(
      /^(docker is not installed|docker buildx is not installed|cannot reach the Docker daemon)/,
    );
  });
});

describe('dockerFailure', () => {
  it('names the causes a workflow can fix', () => {
    expect(dockerFailure(1, "docker: unknown command: docker buildx\n\nRun 'docker --help'")).toBe(
      'docker buildx is not installed: the image is built with buildx (docker/setup-buildx-action in the workflow)',
    );
    // What docker 28 without the plugin prints for these arguments.
    expect(dockerFailure(125, 'unknown flag: --push\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n')).toMatch(
      /^docker buildx is not installed/,
    );
    expect(dockerFailure(1, 'unknown flag: --push')).toBe(
      'docker buildx build failed (exit 1): unknown flag: --push',
    );
    expect(
      dockerFailure(
        1,
        'ERROR: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      ),
    ).toBe(
      'cannot reach the Docker daemon: ERROR: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    );
    expect(
      dockerFailure(1, 'ERROR: failed to push: unexpected status from HEAD request: 401 Unauthorized'),
    ).toBe(
      'the registry refused the push (log in to ECR first: aws-actions/amazon-ecr-login): ERROR: failed to push: unexpected status from HEAD request: 401 Unauthorized',
    );
    expect(dockerFailure(null, '')).toBe('docker buildx build failed (exit by signal): no output');
  });
});
