import { describe, expect, it } from 'vitest';
import { parseVitestReport, VitestReportError } from '../src/vitest-report';

describe('parseVitestReport', () => {
  it('refuses text that is not JSON', () => {
    expect(() => parseVitestReport('{"success": tru')).toThrow(VitestReportError);
    expect(() => parseVitestReport('{"success": tru')).toThrow(
      /^vitest's json report is not one this action/,
    );
  });

  it('names the field that is not the shape vitest 4 writes', () => {
    const text = JSON.stringify({ success: true, testResults: [{ name: '/a.test.ts', status: 'passed' }] });
    expect(() => parseVitestReport(text)).toThrow(/testResults\.0\.message/);
  });

  it('keeps the fields the summary reads and accepts a run with no files', () => {
    expect(parseVitestReport(JSON.stringify({ success: false, testResults: [], numTotalTests: 0 }))).toEqual({
      success: false,
      testResults: [],
    });
  });
});
