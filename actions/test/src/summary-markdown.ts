import { codeBlock, markdownText } from './markdown-text';
import type { FileSummary, TestFailure, TestSummary } from './test-summary';

/** "payments: 41 passed, 1 failed" (skips and files that failed on their own only when there are any). */
export function headline(summary: TestSummary): string {
  const parts = [`${summary.passed} passed`, `${summary.failed} failed`];
  if (summary.skipped > 0) parts.push(`${summary.skipped} skipped`);
  if (summary.brokenFiles > 0) {
    parts.push(`${summary.brokenFiles} test ${summary.brokenFiles === 1 ? 'file' : 'files'} failed to run`);
  }
  return `${summary.workload}: ${parts.join(', ')}`;
}

/** The job summary: the headline, a table of the test files and each failure with its message. */
export function summaryMarkdown(summary: TestSummary): string {
  const sections = [`## ${markdownText(headline(summary))}`, fileTable(summary.files)];
  if (summary.failures.length > 0) {
    sections.push('### Failures', ...summary.failures.map(failureSection));
  }
  return `${sections.join('\n\n')}\n`;
}

function fileTable(files: FileSummary[]): string {
  if (files.length === 0) return 'No test files ran.';
  const rows = files.map(
    (file) =>
      `| ${markdownText(file.file)}${file.error === undefined ? '' : ' (failed to run)'} | ${file.passed} | ${file.failed} | ${file.skipped} | ${duration(file.durationMs)} |`,
  );
  return ['| File | Passed | Failed | Skipped | Time |', '| --- | ---: | ---: | ---: | ---: |', ...rows].join(
    '\n',
  );
}

function failureSection(failure: TestFailure): string {
  const place = failure.line === undefined ? failure.file : `${failure.file}:${failure.line}`;
  return `**${markdownText(failure.test)}** (${markdownText(place)})\n\n${codeBlock(failure.message)}`;
}

/** "7 ms" under a second, "1.2 s" from there. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
