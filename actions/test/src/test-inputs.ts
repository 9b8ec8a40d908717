import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ActionInputError } from '../../runner/action-input-error';
import { optionalInput, requiredInput } from '../../runner/inputs';
import { testedWorkloads } from './tested-workloads';

/** The one workload whose tests run, validated against the folders that hold tests. */
export interface TestInputs {
  workload: string;
  /** Absolute: `<workloads-dir>/<workload>`. */
  workloadDir: string;
}

/** Reads `workload` and `workloads-dir` (relative to `cwd`, as every path of a step is). */
export async function readTestInputs(cwd: string = process.cwd()): Promise<TestInputs> {
  const workload = requiredInput('workload', 'the workload whose tests run, a folder of workloads-dir');
  const dirText = optionalInput('workloads-dir') ?? 'workloads';
  const workloadsDir = resolve(cwd, dirText);
  if (!(await isDirectory(workloadsDir))) {
    throw new ActionInputError(`input "workloads-dir" is "${dirText}": no such folder in ${cwd}`);
  }
  const allowed = await testedWorkloads(workloadsDir);
  if (!allowed.includes(workload)) {
    const list = allowed.length > 0 ? allowed.map((name) => `"${name}"`).join(', ') : 'none';
    throw new ActionInputError(
      `input "workload" is "${workload}": no folder with tests by that name in "${dirText}"; allowed: ${list}`,
    );
  }
  return { workload, workloadDir: resolve(workloadsDir, workload) };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
