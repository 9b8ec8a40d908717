import { error, info, summary as jobSummary, setOutput } from '@actions/core';
import { headline, summaryMarkdown } from './summary-markdown';
import type { TestSummary } from './test-summary';

/**
 * Hands the run to the runner: one error annotation per failure on its line (a path relative to the
 * workspace), the counts as outputs, the summary table in the job summary, the headline in the log.
 */
export async function reportResults(summary: TestSummary): Promise<void> {
  for (const failure of summary.failures) {
    error(failure.message, {
      title: failure.test,
      file: failure.file,
      ...(failure.line === undefined ? {} : { startLine: failure.line }),
      ...(failure.column === undefined ? {} : { startColumn: failure.column }),
    });
  }
  setOutput('passed', summary.passed);
  setOutput('failed', summary.failed);
  setOutput('skipped', summary.skipped);
  if (process.env.GITHUB_STEP_SUMMARY) await jobSummary.addRaw(summaryMarkdown(summary)).write();
  info(headline(summary));
}
