import { summary, warning } from '@actions/core';

/**
 * Appends markdown to the job summary. Outside a runner (no GITHUB_STEP_SUMMARY) that is a warning, not
 * a failure: the release has already ended and its report is on disk.
 */
export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    warning('GITHUB_STEP_SUMMARY is not set: the report is not in a job summary');
    return;
  }
  await summary.addRaw(markdown, true).write();
}
