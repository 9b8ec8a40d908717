import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildSecureCartApp, type SecureCartApp } from '../src/app';

let sc: SecureCartApp;
let report: ReturnType<AwsSolutionsChecks['validateScope']>;
/** What synth's built-in validation plugins (CloudFormation Validate) printed. */
let synthReport: string[] = [];

beforeAll(() => {
  // No Lambda bundling here: cdk-nag reads the construct tree, not the code.
  sc = buildSecureCartApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    sc.app.synth();
  } finally {
    synthReport = printed.mock.calls.map((call) => call.map(String).join(' '));
    printed.mockRestore();
  }
  report = new AwsSolutionsChecks(sc.app, { verbose: true }).validateScope(sc.app);
}, 120_000);

function allConstructs(root: IConstruct): IConstruct[] {
  return [root, ...root.node.children.flatMap(allConstructs)];
}

interface Acknowledged {
  construct: IConstruct;
  path: string;
  id: string;
  reason: string;
}

function acknowledgments(): Acknowledged[] {
  return allConstructs(sc.app).flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          construct: c,
          path: c.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged errors or warnings', () => {
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('synth validation (CloudFormation Validate) reports no unacknowledged warnings', () => {
    expect(synthReport.filter((text) => /WARNING|ERROR/.test(text))).toEqual([]);
  });

  it('leaves no CDK warnings or errors on any stack', () => {
    for (const stack of sc.app.node.children.filter((c): c is Stack => Stack.isStack(c))) {
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findError('*', Match.anyValue()), stack.stackName).toEqual([]);
      expect(annotations.findWarning('*', Match.anyValue()), stack.stackName).toEqual([]);
    }
  });

  it('acknowledges findings only on resources, never on a stack or the app, each with a real reason', () => {
    const acks = acknowledgments().filter((a) => a.id.includes('AwsSolutions'));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(Stack.isStack(ack.construct) || ack.construct === sc.app, `${ack.id} on ${ack.path}`).toBe(
        false,
      );
      expect(ack.reason.length, `${ack.id} on ${ack.path}`).toBeGreaterThanOrEqual(80);
    }
  });

  it('acknowledges IAM5 wildcards finding by finding (never the whole rule)', () => {
    const iam5 = acknowledgments().filter((a) => a.id.includes('AwsSolutions-IAM5'));
    expect(iam5.length).toBeGreaterThan(0);
    for (const ack of iam5) expect(ack.id, ack.path).toMatch(/AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
    const iam4 = acknowledgments().filter((a) => a.id.includes('AwsSolutions-IAM4'));
    for (const ack of iam4) expect(ack.id, ack.path).toMatch(/AwsSolutions-IAM4\[Policy::.+\]$/);
  });
});
