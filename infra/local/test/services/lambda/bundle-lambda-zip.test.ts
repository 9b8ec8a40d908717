import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bundleLambdaZip } from '../../../src/services/lambda/bundle-lambda-zip';
import { codeSha256 } from '../../../src/services/lambda/function-updates';

describe('bundleLambdaZip', () => {
  it('bundles a workload handler into index.js, the same bytes every time', async () => {
    const [first, second] = await Promise.all([
      bundleLambdaZip('fraud-detection'),
      bundleLambdaZip('fraud-detection'),
    ]);
    expect(codeSha256(first)).toBe(codeSha256(second));
    const entries = unzipSync(first);
    expect(Object.keys(entries)).toEqual(['index.js']);
    const source = new TextDecoder().decode(entries['index.js']);
    // CommonJS with everything bundled: nothing is left to require from node_modules.
    expect(source).toContain('module.exports');
    expect(source).not.toMatch(/require\("@aws-lambda-powertools/);
    expect(source.length).toBeGreaterThan(100_000);
  });

  it('says which handler is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'lc-lambda-workloads-'));
    try {
      await expect(bundleLambdaZip('payments', empty)).rejects.toThrow(
        `cannot bundle the Lambda payments: there is no handler at ${empty}/payments/src/handler.ts`,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
