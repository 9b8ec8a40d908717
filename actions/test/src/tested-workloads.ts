import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The workloads the test action accepts: the folders of `workloadsDir` that hold a `test/` folder,
 * sorted by name. A folder without one (`workloads/testing`, say) has nothing to run.
 */
export async function testedWorkloads(workloadsDir: string): Promise<string[]> {
  const entries = await readdir(workloadsDir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries.filter((candidate) => candidate.isDirectory())) {
    if (await hasTestFolder(join(workloadsDir, entry.name))) names.push(entry.name);
  }
  return names.sort();
}

async function hasTestFolder(workloadDir: string): Promise<boolean> {
  const entries = await readdir(workloadDir, { withFileTypes: true });
  return entries.some((entry) => entry.isDirectory() && entry.name === 'test');
}
