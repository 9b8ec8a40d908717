import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/load-policy';
import { PolicyError } from '../../src/policy/policy-error';
import { TEST_MANIFEST } from '../fixtures/manifest';
import { MALFORMED } from './malformed-cases';
import { AGAINST_TARGETS } from './target-cases';

function issuesOf(yaml: string): string[] {
  try {
    parsePolicy(yaml, 'policies/orders.yml', TEST_MANIFEST);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    expect(error.issues.every((issue) => issue.file === 'policies/orders.yml')).toBe(true);
    return error.issues.map((issue) => `${issue.line}:${issue.column} ${issue.field}: ${issue.message}`);
  }
  throw new Error('the policy was accepted');
}

describe('malformed policies name the file, line, column and field', () => {
  it('reports every problem, in file order', () => {
    const yaml = 'workload: Bad\nplatform: vm\nenvironments:\n  staging:\n    strategy: 5\n';
    expect(issuesOf(yaml)).toEqual([
      '1:11 workload: workload must be lower-case letters, digits and dashes',
      '2:11 platform: expected one of "lambda", "ecs", "eks", "apprunner", "stepfunctions", "ecs-ec2"',
      '5:15 environments.staging.strategy: expected all-at-once, a CodeDeploy configuration name, or { canary | linear | steps | allAtOnce }',
    ]);
  });

  it('a policy larger than any policy needs is refused before it is parsed', () => {
    const yaml = `workload: orders\n# ${'x'.repeat(70_000)}\n`;
    expect(issuesOf(yaml)).toEqual(['1:1 : a policy may be at most 65536 bytes']);
  });
});

describe.each([
  ['malformed', MALFORMED],
  ['asking a target for what it cannot do', AGAINST_TARGETS],
])('each policy %s is reported exactly', (_kind, cases) => {
  it.each(cases)('$name', ({ yaml, expected }) => {
    expect(issuesOf(yaml)).toContain(expected);
  });
});
