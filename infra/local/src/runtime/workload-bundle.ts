import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleNodeEntry } from '@tollgate/pipelines/artifacts/node-bundle';

/** Where bundles are kept between runs, named by workload and source hash. */
const CACHE_DIR = join(tmpdir(), 'tollgate-local-bundles');
const SKIPPED = new Set(['node_modules', 'dist', 'test', 'cdk.out']);

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !SKIPPED.has(entry.name))
      .map((entry) => {
        const path = join(dir, entry.name);
        return entry.isDirectory() ? filesUnder(path) : Promise.resolve([path]);
      }),
  );
  return nested.flat().sort();
}

/** Hash of everything the bundle is built from: the workload, shared, and the lockfile (dependency versions). */
export async function sourceHash(workloadsRoot: string, workload: string): Promise<string> {
  const files = [
    ...(await filesUnder(join(workloadsRoot, workload))),
    ...(await filesUnder(join(workloadsRoot, 'shared'))),
    join(workloadsRoot, '..', 'package-lock.json'),
  ].filter((file) => existsSync(file));
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * Bundles `workloads/<workload>/src/server.ts` as the workload's `bundle` script (and so its Dockerfile)
 * does: esbuild, bundle, platform node, target node20, format cjs. Returns the bundle's path; a bundle of the
 * same sources from an earlier run is reused.
 */
export async function bundleWorkload(workloadsRoot: string, workload: string): Promise<string> {
  const entry = join(workloadsRoot, workload, 'src', 'server.ts');
  if (!existsSync(entry)) {
    throw new Error(`${workload} has no container entry point (${entry}); is it a container workload?`);
  }
  const outfile = join(CACHE_DIR, `${workload}-${await sourceHash(workloadsRoot, workload)}.cjs`);
  if (existsSync(outfile)) return outfile;
  const text = await bundleNodeEntry(entry);
  await mkdir(CACHE_DIR, { recursive: true });
  // Written aside, then renamed: a concurrent run never reads a half-written bundle.
  const partial = `${outfile}.${process.pid}.${Date.now()}.partial`;
  await writeFile(partial, text);
  await rename(partial, outfile);
  return outfile;
}
