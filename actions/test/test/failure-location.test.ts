import { describe, expect, it } from 'vitest';
import { failureMessage, failurePoint } from '../src/failure-location';

const TEST_FILE = '/repo/workloads/payments/test/payments.test.ts';

describe('failurePoint', () => {
  it("takes the first frame in the test file, past a helper's frames", () => {
    const stack = [
      'AssertionError: expected 1 to be 2',
      '    at expectTotal (/repo/workloads/payments/test/order-fixture.ts:4:20)',
      `    at ${TEST_FILE}:31:5`,
      `    at ${TEST_FILE}:12:3`,
    ].join('\n');
    expect(failurePoint(stack, TEST_FILE)).toEqual({ line: 31, column: 5 });
  });

  it('reads frames that name the file by file:// URL, spaces encoded', () => {
    const file = '/repo/my workloads/pay.test.ts';
    const stack = 'Error: no\n    at run (file:///repo/my%20workloads/pay.test.ts:7:9)';
    expect(failurePoint(stack, file)).toEqual({ line: 7, column: 9 });
  });

  it('finds nothing when no frame is in the test file', () => {
    const stack = 'Error: boom\n    at new Promise (<anonymous>)\n    at file:///repo/node_modules/x.js:1:2';
    expect(failurePoint(stack, TEST_FILE)).toBeUndefined();
  });
});

describe('failureMessage', () => {
  it('keeps every line of the message and drops the frames', () => {
    const stack = `Error: two\nlines\n    at new Promise (<anonymous>)\n    at ${TEST_FILE}:3:1`;
    expect(failureMessage(stack)).toBe('Error: two\nlines');
  });

  it('is the whole text when there is no stack', () => {
    expect(failureMessage('expected true to be false')).toBe('expected true to be false');
  });
});
