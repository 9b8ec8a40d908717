import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVitest } from './run-vitest';
import type { TestInputs } from './test-inputs';
import { vitestCommand } from './vitest-command';
import { parseVitestReport, type VitestReport } from './vitest-report';
import { findVitestSetup } from './vitest-setup';

/** What one vitest run left: its exit code, and its report when it got as far as writing one. */
export interface WorkloadTestRun {
  exitCode: number | null;
  report?: VitestReport;
}

/**
 * Runs the workload's tests in `cwd` (the repository root) and reads the json report from a folder of
 * its own under the runner's temporary directory, removed afterwards.
 */
export async function runWorkloadTests(inputs: TestInputs, cwd: string): Promise<WorkloadTestRun> {
  const setup = await findVitestSetup(cwd, inputs.workloadDir);
  const folder = await mkdtemp(join(process.env.RUNNER_TEMP ?? tmpdir(), 'tollgate-test-'));
  try {
    const reportFile = join(folder, 'vitest-report.json');
    const exitCode = await runVitest(vitestCommand(setup, inputs.workloadDir, reportFile, cwd));
    const text = await readIfThere(reportFile);
    return text === undefined ? { exitCode } : { exitCode, report: parseVitestReport(text) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
