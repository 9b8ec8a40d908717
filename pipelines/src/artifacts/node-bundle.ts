import { createRequire } from 'node:module';
import type * as Esbuild from 'esbuild';

/**
 * esbuild as the repository being built installs it, found from the entry point like any of its imports:
 * the version its lockfile pins (the one its Dockerfiles bundle with), and never a copy inside an
 * action's bundle, where esbuild cannot find its native binary.
 */
function esbuildFor(entry: string): typeof Esbuild {
  try {
    return createRequire(entry)('esbuild') as typeof Esbuild;
  } catch {
    throw new Error(
      `cannot bundle ${entry}: esbuild is not installed where it is (run npm ci in the repository first)`,
    );
  }
}

/**
 * One entry point and everything it imports in one CommonJS file, as the workloads' images and Lambda
 * packages are built (esbuild, platform node, target node20).
 */
export async function bundleNodeEntry(entry: string): Promise<Uint8Array> {
  const result = await esbuildFor(entry).build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return output.contents;
}
