import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambdaZip } from '../../src/artifacts/bundle-lambda-zip';
import { codeSha256 } from '../../src/artifacts/code-sha256';
import { buildLambdaArtifact } from '../../src/artifacts/lambda-artifact';

describe('bundleLambdaZip', () => {
  it('bundles a workload handler into index.js, the same bytes every time', async () => {
    const [first, second] = await Promise.all([
      bundleLambdaZip('fraud-detection'),
      bundleLambdaZip('fraud-detection'),
    ]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    const entries = unzipSync(first);
    expect(Object.keys(entries)).toEqual(['index.js']);
    const source = new TextDecoder().decode(entries['index.js']);
    // CommonJS with everything bundled: nothing is left to require from node_modules.
    expect(source).toContain('module.exports');
    expect(source).not.toMatch(/require\("@aws-lambda-powertools/);
    expect(source.length).toBeGreaterThan(100_000);
  });

  it('says when the repository has no esbuild installed', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'tollgate-bare-workloads-'));
    try {
      await mkdir(join(bare, 'payments', 'src'), { recursive: true });
      await writeFile(join(bare, 'payments', 'src', 'handler.ts'), 'export const handler = async () => 1;\n');
      await expect(bundleLambdaZip('payments', bare)).rejects.toThrow(
        `cannot bundle ${bare}/payments/src/handler.ts: esbuild is not installed where it is (run npm ci in the repository first)`,
      );
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it('says which handler is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tollgate-lambda-workloads-'));
    try {
      await expect(bundleLambdaZip('payments', empty)).rejects.toThrow(
        `cannot bundle the Lambda payments: there is no handler at ${empty}/payments/src/handler.ts`,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('codeSha256', () => {
  it('is the base64 SHA-256 Lambda reports', () => {
    // SHA-256 of "abc" (FIPS 180-2 test vector), in base64.
    expect(codeSha256(new TextEncoder().encode('abc'))).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
  });
});

describe('buildLambdaArtifact', () => {
  // A workloads folder of its own (the repository's stays untouched), with one handler the test changes;
  // the repository's node_modules linked beside it, where the bundler finds esbuild.
  let workloadsRoot: string;
  let outDir: string;
  const HANDLER = 'export const handler = async (event: { n: number }) => ({ doubled: event.n * 2 });\n';

  beforeAll(async () => {
    workloadsRoot = await mkdtemp(join(tmpdir(), 'tollgate-workloads-'));
    outDir = await mkdtemp(join(tmpdir(), 'tollgate-artifacts-'));
    await symlink(
      fileURLToPath(new URL('../../../node_modules', import.meta.url)),
      join(workloadsRoot, 'node_modules'),
    );
    await mkdir(join(workloadsRoot, 'payments', 'src'), { recursive: true });
    await writeFile(join(workloadsRoot, 'payments', 'src', 'handler.ts'), HANDLER);
  });

  afterAll(async () => {
    await rm(workloadsRoot, { recursive: true, force: true });
    await rm(outDir, { recursive: true, force: true });
  });

  it('gives the same bytes and sha256 for the same sources, and a different one for a change', async () => {
    const build = { workload: 'payments', workloadsRoot, outDir };
    const first = await buildLambdaArtifact({ ...build, version: '1.0.0' });
    const second = await buildLambdaArtifact({ ...build, version: '1.0.1' });
    expect(first.path).toBe(join(outDir, 'payments', '1.0.0.zip'));
    expect(Buffer.from(await readFile(second.path)).equals(Buffer.from(first.bytes))).toBe(true);
    expect(second.sha256).toBe(first.sha256);
    expect(first.sha256).toBe(
      createHash('sha256')
        .update(await readFile(first.path))
        .digest('base64'),
    );
    expect(new TextDecoder().decode(unzipSync(first.bytes)['index.js'])).toContain('event.n * 2');

    await writeFile(join(workloadsRoot, 'payments', 'src', 'handler.ts'), HANDLER.replace('* 2', '* 3'));
    const changed = await buildLambdaArtifact({ ...build, version: '1.1.0' });
    expect(changed.sha256).not.toBe(first.sha256);
  });
});
