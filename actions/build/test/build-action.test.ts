import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAction } from '../../bundle/bundle-action';
import { startActionStep } from '../../bundle/run-bundled-action';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

let repo: string;
let work: string;

function git(...args: string[]): void {
  execFileSync('git', args, { cwd: repo, env: { ...process.env, ...GIT_ENV } });
}

/**
 * A repository of its own: SecureCart's manifest and payments' sources, the root node_modules linked
 * in so the handler's imports resolve; tagged payments@1.2.0, then one feature commit.
 */
beforeAll(async () => {
  await bundleAction('build');
  repo = await mkdtemp(join(tmpdir(), 'tollgate-build-repo-'));
  work = await mkdtemp(join(tmpdir(), 'tollgate-build-runner-'));
  await symlink(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
  await writeFile(join(repo, '.gitignore'), 'node_modules\n.tollgate\n');
  await mkdir(join(repo, 'infra/aws'), { recursive: true });
  await cp(join(ROOT, 'infra/aws/release-manifest.json'), join(repo, 'infra/aws/release-manifest.json'));
  await cp(join(ROOT, 'workloads/payments/src'), join(repo, 'workloads/payments/src'), { recursive: true });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git('commit', '--quiet', '-m', 'feat: payments');
  git('tag', 'payments@1.2.0');
  await writeFile(join(repo, 'workloads/payments/src/note.ts'), 'export const note = 1;\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'feat(payments): a note');
}, 120_000);

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

/** Runs the bundled action as the runner does (action.yml's defaults, INPUT_*, the runner's files). */
async function runBuild(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const step = await startActionStep({
    action: 'build',
    inputs,
    env: { PATH: process.env.PATH, ...GIT_ENV, ...env },
    cwd: repo,
  });
  const { code, log, outputs, summary } = await step.done;
  return { code, stdout: log, outputs, summary };
}

describe('the build action, bundled, as the runner runs it', () => {
  it('builds payments on main: the next version, the zip, its sha256', async () => {
    const run = await runBuild({ workload: 'payments' }, { GITHUB_REF: 'refs/heads/main' });
    expect(run.code, run.stdout).toBe(0);
    const zip = await readFile(join(repo, '.tollgate/build/payments/1.3.0.zip'));
    expect(run.outputs).toEqual({
      version: '1.3.0',
      artifact: 'zip:.tollgate/build/payments/1.3.0.zip',
      sha256: createHash('sha256').update(zip).digest('base64'),
      digest: '',
    });
    expect(run.summary).toBe(
      `Built **payments** \`1.3.0\` (minor bump from 1.2.0, 1 commit): \`zip:.tollgate/build/payments/1.3.0.zip\`, sha256 \`${run.outputs.sha256}\`\n`,
    );
  }, 60_000);

  it('builds a pull request as a pre-release, the same bytes for the same sources', async () => {
    const main = await runBuild({ workload: 'payments' }, { GITHUB_REF: 'refs/heads/main' });
    const pr = await runBuild({ workload: 'payments' }, { GITHUB_REF: 'refs/pull/7/merge' });
    expect(pr.code, pr.stdout).toBe(0);
    expect(pr.outputs.version).toBe('1.3.0-pr.7.1');
    expect(pr.outputs.artifact).toBe('zip:.tollgate/build/payments/1.3.0-pr.7.1.zip');
    expect(pr.outputs.sha256).toBe(main.outputs.sha256);
  }, 60_000);

  it('uploads the zip to S3 when s3-bucket is set, with its checksum, and outputs the object version', async () => {
    const puts: { url: string; checksum: string; sha256: string }[] = [];
    const server = createServer(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      puts.push({
        url: `${request.method} ${request.url}`,
        checksum: String(request.headers['x-amz-checksum-sha256']),
        sha256: createHash('sha256').update(Buffer.concat(chunks)).digest('base64'),
      });
      response.writeHead(200, { 'x-amz-version-id': 'v7', etag: '"e"' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const run = await runBuild(
        { workload: 'payments', 's3-bucket': 'securecart-artifacts' },
        {
          GITHUB_REF: 'refs/heads/main',
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
        },
      );
      expect(run.code, run.stdout).toBe(0);
      expect(run.outputs.artifact).toBe('s3://securecart-artifacts/payments/1.3.0.zip?versionId=v7');
      expect(puts).toEqual([
        {
          url: 'PUT /securecart-artifacts/payments/1.3.0.zip?x-id=PutObject',
          checksum: run.outputs.sha256,
          sha256: run.outputs.sha256,
        },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);

  it('exits 2 for an unknown workload, naming the input and the workloads allowed', async () => {
    const run = await runBuild({ workload: 'paymentz' }, { GITHUB_REF: 'refs/heads/main' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      '::error::input "workload" is "paymentz"; allowed (the workloads of infra/aws/release-manifest.json): "auth", "checkout", "fraud-detection", "fulfillment", "inventory-sync", "order-batch", "order-processing", "payments", "product-search", "recommendations"',
    );
    expect(run.outputs).toEqual({});
  });

  it('exits 2 for a workload with nothing to build, and for a bad bucket name', async () => {
    const stepFunctions = await runBuild({ workload: 'fulfillment' }, { GITHUB_REF: 'refs/heads/main' });
    expect(stepFunctions.code).toBe(2);
    expect(stepFunctions.stdout).toContain(
      '::error::input "workload": "fulfillment" is a stepfunctions workload',
    );
    const bucket = await runBuild({ workload: 'payments', 's3-bucket': 'Bad_Bucket' });
    expect(bucket.code).toBe(2);
    expect(bucket.stdout).toContain('::error::input "s3-bucket" is "Bad_Bucket"; allowed: an S3 bucket name');
  });

  it('fails a container build with one sentence where docker cannot build (no image is built here)', async () => {
    const run = await runBuild({ workload: 'checkout' }, { GITHUB_REF: 'refs/heads/main' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::(docker is not installed|docker buildx is not installed|cannot reach the Docker daemon)/,
    );
    expect(run.stdout).not.toContain('internal error');
    expect(run.stdout).not.toMatch(/\n\s+at /);
  });
});
