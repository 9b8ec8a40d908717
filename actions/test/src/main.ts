import { setFailed } from '@actions/core';
import { runAction } from '../../runner/run-action';
import { reportResults } from './report-results';
import { runWorkloadTests, type WorkloadTestRun } from './run-workload-tests';
import { headline } from './summary-markdown';
import { readTestInputs } from './test-inputs';
import { runFailed, summarizeReport } from './test-summary';
import { VitestReportError } from './vitest-report';
import { VitestMissingError } from './vitest-setup';

await runAction(async () => {
  const cwd = process.cwd();
  const inputs = await readTestInputs(cwd);
  let run: WorkloadTestRun;
  try {
    run = await runWorkloadTests(inputs, cwd);
  } catch (error) {
    // A workspace without its dependencies, or a vitest whose report changed shape: the step fails
    // with the sentence that says so (exit 1), not as an internal error.
    if (!(error instanceof VitestMissingError || error instanceof VitestReportError)) throw error;
    return setFailed(error.message);
  }
  if (!run.report) {
    return setFailed(
      `vitest wrote no report for "${inputs.workload}" (exit code ${run.exitCode}): see its output above`,
    );
  }
  const summary = summarizeReport(run.report, inputs.workload, process.env.GITHUB_WORKSPACE || cwd);
  await reportResults(summary);
  if (runFailed(summary)) return setFailed(headline(summary));
  if (summary.files.length === 0) {
    return setFailed(`no test file of "${inputs.workload}" ran (vitest exited with code ${run.exitCode})`);
  }
  // No test failed, yet vitest failed the run: an unhandled error outside any test.
  if (run.exitCode !== 0) {
    setFailed(`${headline(summary)}, but vitest exited with code ${run.exitCode}: see its output above`);
  }
});
