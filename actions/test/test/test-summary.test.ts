import { describe, expect, it } from 'vitest';
import { runFailed, summarizeReport } from '../src/test-summary';
import { CAPTURED_ROOT, capturedReport } from './vitest-report-fixtures';

const RED_FILE = 'actions/test/test/fixtures/workloads/red/test/checkout.spec.ts';

describe('summarizeReport on a captured run with a pass, a failure and a skip', () => {
  const summary = summarizeReport(capturedReport('red'), 'red', CAPTURED_ROOT);

  it('counts each status, per file and in all', () => {
    expect(summary).toMatchObject({ workload: 'red', passed: 1, failed: 1, skipped: 1, brokenFiles: 0 });
    expect(summary.files).toHaveLength(1);
    expect(summary.files[0]).toMatchObject({ file: RED_FILE, passed: 1, failed: 1, skipped: 1 });
    expect(summary.files[0]?.error).toBeUndefined();
    expect(runFailed(summary)).toBe(true);
  });

  it("takes the file's time from its tests' start and end", () => {
    expect(summary.files[0]?.durationMs).toBeCloseTo(3.9485, 3);
  });

  it('places the failure on the line of the failing assertion, not of the test', () => {
    expect(summary.failures).toEqual([
      {
        test: 'checkout totals › applies the discount',
        message: 'AssertionError: expected 85 to be 90 // Object.is equality',
        file: RED_FILE,
        line: 10,
        column: 19,
      },
    ]);
  });

  it("falls back to the test's declaration when the stack never passes through the test file", () => {
    const report = capturedReport('red');
    const failing = report.testResults[0]?.assertionResults[1];
    if (!failing) throw new Error('the captured report lost its failing test');
    failing.failureMessages = ['Error: socket hang up\n    at Socket.emit (node:events:519:28)'];
    const [failure] = summarizeReport(report, 'red', CAPTURED_ROOT).failures;
    expect(failure).toEqual({
      test: 'checkout totals › applies the discount',
      message: 'Error: socket hang up',
      file: RED_FILE,
      line: 8,
      column: 3,
    });
  });

  it('makes paths relative to wherever the repository root is', () => {
    const elsewhere = summarizeReport(capturedReport('red'), 'red', `${CAPTURED_ROOT}/actions/test`);
    expect(elsewhere.files[0]?.file).toBe('test/fixtures/workloads/red/test/checkout.spec.ts');
  });
});

describe('summarizeReport on a captured run whose test file failed to load', () => {
  const summary = summarizeReport(capturedReport('broken'), 'broken', CAPTURED_ROOT);
  const file = 'actions/test/test/fixtures/broken/test/refunds.spec.ts';

  it('counts no test but a broken file, and the run fails', () => {
    expect(summary).toMatchObject({ passed: 0, failed: 0, skipped: 0, brokenFiles: 1 });
    expect(summary.files).toEqual([
      { file, passed: 0, failed: 0, skipped: 0, durationMs: 0, error: 'REFUND_GATEWAY_URL is not set' },
    ]);
    expect(runFailed(summary)).toBe(true);
  });

  it("reports the file's own error as a failure on the file", () => {
    expect(summary.failures).toEqual([{ test: file, message: 'REFUND_GATEWAY_URL is not set', file }]);
  });
});
