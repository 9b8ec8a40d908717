import { build } from 'esbuild';

/**
 * One entry point and everything it imports in one CommonJS file, as the workloads' images and Lambda
 * packages are built (esbuild, platform node, target node20).
 */
export async function bundleNodeEntry(entry: string): Promise<Uint8Array> {
  const result = await build({
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
