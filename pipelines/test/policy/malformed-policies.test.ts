import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/load-policy';
import { PolicyError } from '../../src/policy/policy-error';
import { MALFORMED } from './malformed-cases';

function issuesOf(yaml: string): string[] {
  try {
    parsePolicy(yaml, 'policies/checkout.yml');
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    expect(error.issues.every((issue) => issue.file === 'policies/checkout.yml')).toBe(true);
    return error.issues.map((issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`);
  }
  throw new Error('the policy was accepted');
}

describe('malformed policies name the file, line, column and field', () => {
  it('reports every problem, in file order', () => {
    const yaml = 'workload: Bad\nplatform: vm\nenvironments:\n  staging:\n    strategy: 5\n';
    expect(issuesOf(yaml)).toEqual([
      '1:11 workload: workload must be lower-case letters, digits and dashes',
      '2:11 platform: expected one of "lambda", "ecs", "eks", "apprunner"',
      '5:15 environments.staging.strategy: expected a CodeDeploy predefined configuration name or { steps: [...] }',
    ]);
  });
});

describe('each malformed policy is reported exactly', () => {
  it('has at least 25 cases', () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(25);
  });

  it.each(MALFORMED)('$name', ({ yaml, expected }) => {
    expect(issuesOf(yaml)).toContain(expected);
  });
});
