import * as iam from 'aws-cdk-lib/aws-iam';

/** One row of a role's permission table: these actions, on exactly these resources, for this reason. */
export interface PermissionRow {
  readonly sid: string;
  readonly actions: readonly string[];
  /** Exact ARNs (or ARN patterns AWS generates ids under); `['*']` only where the actions have no resource level. */
  readonly resources: readonly string[];
  readonly conditions?: Record<string, Record<string, string | string[]>>;
  /** Why the role needs it: what calls it, and why these resources. */
  readonly why: string;
}

/** The statements of a table; a row with no resources (a kind this environment does not run) is left out. */
export function permissionStatements(rows: readonly PermissionRow[]): iam.PolicyStatement[] {
  return rows
    .filter((row) => row.resources.length > 0)
    .map(
      (row) =>
        new iam.PolicyStatement({
          sid: row.sid,
          actions: [...row.actions],
          resources: [...row.resources],
          ...(row.conditions ? { conditions: row.conditions } : {}),
        }),
    );
}

/** The wildcard resources of a table, as cdk-nag names them (`Resource::<arn with <AWS::Partition>>`). */
export function wildcardFindings(rows: readonly PermissionRow[], partition: string): string[] {
  const findings = rows
    .flatMap((row) => row.resources)
    .filter((arn) => arn.includes('*'))
    .map((arn) => `Resource::${arn.replace(`arn:${partition}:`, 'arn:<AWS::Partition>:')}`);
  return [...new Set(findings)];
}
