import { relative, sep } from 'node:path';
import { failureMessage, failurePoint } from './failure-location';
import type { VitestAssertion, VitestFileResult, VitestReport } from './vitest-report';

/** One test file's counts. `file` is relative to the repository root, with `/`. */
export interface FileSummary {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
  /** Set when the file itself failed (it did not load, a hook threw): its tests did not all run. */
  error?: string;
}

/** One failed test, or one test file that failed on its own; where to annotate it. */
export interface TestFailure {
  /** The test's suites and name, `suite › test`; for a file's own failure, the file. */
  test: string;
  message: string;
  file: string;
  line?: number;
  column?: number;
}

/** A workload's test run, ready for the job summary, the annotations and the outputs. */
export interface TestSummary {
  workload: string;
  passed: number;
  failed: number;
  skipped: number;
  /** Test files that failed on their own (see `FileSummary.error`). */
  brokenFiles: number;
  files: FileSummary[];
  failures: TestFailure[];
}

/** Statuses vitest reports for a test that did not run to a verdict. */
const NOT_RUN = new Set<VitestAssertion['status']>(['skipped', 'pending', 'todo', 'disabled']);

/**
 * Turns vitest's report into the summary; paths become relative to `repoRoot` (the workspace, which
 * GitHub resolves annotation paths against). Files are sorted by path; failures follow them, a file's in
 * the order of its tests.
 */
export function summarizeReport(report: VitestReport, workload: string, repoRoot: string): TestSummary {
  const sorted = [...report.testResults].sort((a, b) => a.name.localeCompare(b.name));
  const files = sorted.map((result) => fileSummary(result, repoRoot));
  const failures = sorted.flatMap((result) => fileFailures(result, repoRoot));
  return {
    workload,
    passed: sum(files, 'passed'),
    failed: sum(files, 'failed'),
    skipped: sum(files, 'skipped'),
    brokenFiles: files.filter((file) => file.error !== undefined).length,
    files,
    failures,
  };
}

/** Whether the run failed: a test failed or a file failed on its own. */
export function runFailed(summary: TestSummary): boolean {
  return summary.failed > 0 || summary.brokenFiles > 0;
}

function fileSummary(result: VitestFileResult, repoRoot: string): FileSummary {
  const count = (test: (assertion: VitestAssertion) => boolean) =>
    result.assertionResults.filter(test).length;
  const summary: FileSummary = {
    file: repoPath(result.name, repoRoot),
    passed: count((assertion) => assertion.status === 'passed'),
    failed: count((assertion) => assertion.status === 'failed'),
    skipped: count((assertion) => NOT_RUN.has(assertion.status)),
    durationMs: Math.max(0, result.endTime - result.startTime),
  };
  return result.message === '' ? summary : { ...summary, error: result.message };
}

function fileFailures(result: VitestFileResult, repoRoot: string): TestFailure[] {
  const file = repoPath(result.name, repoRoot);
  const failures = result.assertionResults
    .filter((assertion) => assertion.status === 'failed')
    .flatMap((assertion) => assertionFailures(assertion, result.name, file));
  if (result.message !== '') failures.unshift({ test: file, message: result.message, file });
  return failures;
}

/** One entry per error of the test (a test can fail with several, `expect.soft` for one). */
function assertionFailures(assertion: VitestAssertion, testFile: string, file: string): TestFailure[] {
  const test = [...assertion.ancestorTitles, assertion.title].join(' › ');
  const stacks = assertion.failureMessages?.length ? assertion.failureMessages : ['failed'];
  return stacks.map((stack) => {
    const point = failurePoint(stack, testFile) ?? assertion.location ?? undefined;
    const failure: TestFailure = { test, message: failureMessage(stack), file };
    return point ? { ...failure, line: point.line, column: point.column } : failure;
  });
}

function repoPath(path: string, repoRoot: string): string {
  return relative(repoRoot, path).split(sep).join('/');
}

function sum(files: FileSummary[], key: 'passed' | 'failed' | 'skipped'): number {
  return files.reduce((total, file) => total + file[key], 0);
}
