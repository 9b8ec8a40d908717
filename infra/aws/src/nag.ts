import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface NagAcknowledgment {
  /** Rule id, e.g. `AwsSolutions-IAM5`. */
  readonly id: string;
  /** Why this finding is acceptable; shown to reviewers and kept in the cloud assembly. */
  readonly reason: string;
  /**
   * The exact findings acknowledged (cdk-nag v3 ids `RuleId[finding]`, e.g. `Resource::*`). Without
   * it the whole rule is acknowledged for the construct and its children.
   */
  readonly appliesTo?: readonly string[];
}

/**
 * Acknowledge cdk-nag findings on one construct (and its children) through CDK's native
 * `Validations.of().acknowledge()` (cdk-nag v3). Keep the scope as narrow as possible: the
 * resource or policy that produces the finding, never a whole stack.
 */
export function acknowledge(
  scopes: IConstruct | readonly IConstruct[],
  rules: readonly NagAcknowledgment[],
): void {
  const list: readonly IConstruct[] = Array.isArray(scopes) ? scopes : [scopes as IConstruct];
  for (const scope of list) {
    for (const rule of rules) {
      if (rule.reason.trim().length < 40) {
        throw new Error(`nag acknowledgment ${rule.id} on ${scope.node.path} needs a real reason`);
      }
      const ids = rule.appliesTo ? rule.appliesTo.map((finding) => `${rule.id}[${finding}]`) : [rule.id];
      Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason: rule.reason })));
    }
  }
}
