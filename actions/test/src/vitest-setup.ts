import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { VitestSetup } from './vitest-command';

/** The config file names a workload may have, in vitest's own order of preference. */
export const WORKLOAD_CONFIG_NAMES = [
  'vitest.config.ts',
  'vitest.config.mts',
  'vitest.config.js',
  'vitest.config.mjs',
] as const;

/** The repository has no vitest installed where the step runs: its dependencies were not installed. */
export class VitestMissingError extends Error {
  constructor(cwd: string) {
    super(
      `vitest is not installed in ${cwd}: install the repository's dependencies (npm ci) before this step`,
    );
    this.name = 'VitestMissingError';
  }
}

/** Finds the repository's vitest (as `npx vitest` would, from `cwd`) and the workload's own config. */
export async function findVitestSetup(cwd: string, workloadDir: string): Promise<VitestSetup> {
  const cli = await vitestCli(cwd);
  const workloadConfig = await firstExisting(WORKLOAD_CONFIG_NAMES.map((name) => join(workloadDir, name)));
  return workloadConfig ? { cli, workloadConfig } : { cli };
}

async function vitestCli(cwd: string): Promise<string> {
  let manifestPath: string;
  try {
    manifestPath = createRequire(join(cwd, 'package.json')).resolve('vitest/package.json');
  } catch {
    throw new VitestMissingError(cwd);
  }
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { bin?: { vitest?: string } };
  if (!manifest.bin?.vitest) throw new VitestMissingError(cwd);
  return resolve(dirname(manifestPath), manifest.bin.vitest);
}

async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await access(path);
      return path;
    } catch {}
  }
  return undefined;
}
