import { describe, expect, it } from 'vitest';
import { codeBlock, markdownText } from '../src/markdown-text';
import { duration, headline, summaryMarkdown } from '../src/summary-markdown';
import { summarizeReport, type TestSummary } from '../src/test-summary';
import { CAPTURED_ROOT, capturedReport } from './vitest-report-fixtures';

describe('headline', () => {
  const base: TestSummary = {
    workload: 'payments',
    passed: 41,
    failed: 1,
    skipped: 0,
    brokenFiles: 0,
    files: [],
    failures: [],
  };

  it('says passed and failed, and skips and broken files only when there are any', () => {
    expect(headline(base)).toBe('payments: 41 passed, 1 failed');
    expect(headline({ ...base, skipped: 2, brokenFiles: 1 })).toBe(
      'payments: 41 passed, 1 failed, 2 skipped, 1 test file failed to run',
    );
    expect(headline({ ...base, brokenFiles: 2 })).toBe(
      'payments: 41 passed, 1 failed, 2 test files failed to run',
    );
  });
});

describe('summaryMarkdown', () => {
  it('writes the headline, the file table and each failure with its message', () => {
    const summary = summarizeReport(capturedReport('red'), 'red', CAPTURED_ROOT);
    expect(summaryMarkdown(summary)).toBe(
      [
        '## red: 1 passed, 1 failed, 1 skipped',
        '',
        '| File | Passed | Failed | Skipped | Time |',
        '| --- | ---: | ---: | ---: | ---: |',
        '| actions/test/test/fixtures/workloads/red/test/checkout.spec.ts | 1 | 1 | 1 | 4 ms |',
        '',
        '### Failures',
        '',
        '**checkout totals › applies the discount** (actions/test/test/fixtures/workloads/red/test/checkout.spec.ts:10)',
        '',
        '```text',
        'AssertionError: expected 85 to be 90 // Object.is equality',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('marks a file that failed to run and says so when no file ran', () => {
    const broken = summaryMarkdown(summarizeReport(capturedReport('broken'), 'broken', CAPTURED_ROOT));
    expect(broken).toContain(
      '| actions/test/test/fixtures/broken/test/refunds.spec.ts (failed to run) | 0 | 0 | 0 | 0 ms |',
    );
    const empty = {
      workload: 'x',
      passed: 0,
      failed: 0,
      skipped: 0,
      brokenFiles: 0,
      files: [],
      failures: [],
    };
    expect(summaryMarkdown(empty)).toBe('## x: 0 passed, 0 failed\n\nNo test files ran.\n');
  });
});

describe('markdown escaping', () => {
  it('keeps a test name from breaking the table or injecting HTML', () => {
    expect(markdownText('a | b *c* <img src=x> [l](u)\nnext')).toBe(
      'a \\| b \\*c\\* &lt;img src=x&gt; \\[l\\](u) next',
    );
  });

  it('fences a message with more backticks than any run inside it', () => {
    expect(codeBlock('has ``` inside')).toBe('````text\nhas ``` inside\n````');
    expect(codeBlock('plain')).toBe('```text\nplain\n```');
  });
});

describe('duration', () => {
  it('shows milliseconds under a second and seconds from there', () => {
    expect([duration(3.9), duration(999.4), duration(1234)]).toEqual(['4 ms', '999 ms', '1.2 s']);
  });
});
