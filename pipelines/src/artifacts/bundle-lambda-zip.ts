import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Zippable, zipSync } from 'fflate';
import { bundleNodeEntry } from './node-bundle';

/**
 * The repository's workloads folder, found from this file's place in the sources; a bundled copy (an
 * action's dist/) is elsewhere and passes the workloads folder of the checkout instead.
 */
export const WORKLOADS_ROOT = fileURLToPath(new URL('../../../workloads/', import.meta.url));

/**
 * A fixed modification time for every entry, in local time as zip stores it (DOS time), so the same
 * sources give the same bytes, and so the same CodeSha256, on every machine.
 */
const ENTRY_TIME = new Date(2020, 0, 1, 0, 0, 0);

/**
 * Builds a workload's Lambda deployment package: `workloads/<workload>/src/handler.ts` bundled by
 * esbuild with everything it imports (Node 20, CommonJS, as the containers' bundles are built) into
 * `index.js`, zipped deterministically; its handler is `index.handler`.
 */
export async function bundleLambdaZip(workload: string, workloadsRoot = WORKLOADS_ROOT): Promise<Uint8Array> {
  const entry = `${workloadsRoot.replace(/\/$/, '')}/${workload}/src/handler.ts`;
  try {
    await access(entry);
  } catch {
    throw new Error(`cannot bundle the Lambda ${workload}: there is no handler at ${entry}`);
  }
  const files: Record<string, Uint8Array> = { 'index.js': await bundleNodeEntry(entry) };
  const zippable: Zippable = {};
  for (const name of Object.keys(files).sort())
    zippable[name] = [files[name] as Uint8Array, { mtime: ENTRY_TIME }];
  return zipSync(zippable, { level: 6 });
}
