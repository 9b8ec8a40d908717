/**
 * A gating alarm as the release manifest records it (`alarmRules`), in CloudWatch's own PutMetricAlarm
 * shape. A dimension value CloudFormation only knows at deploy time is a reference. This is the shape the
 * local CloudWatch evaluates; the manifest's `AlarmRule` (@tollgate/pipelines/targets/alarm-rule) is
 * assignable to it, and tests can write rules the schema has not got yet.
 */
export type DimensionValue = string | { Ref: string; Attribute: string };

export interface RuleDimension {
  Name: string;
  Value: DimensionValue;
}

export interface RuleMetricStat {
  Metric: { Namespace: string; MetricName: string; Dimensions?: RuleDimension[] };
  Period: number;
  Stat: string;
  Unit?: string | undefined;
}

export interface RuleMetricQuery {
  Id: string;
  Expression?: string | undefined;
  Label?: string | undefined;
  ReturnData?: boolean | undefined;
  Period?: number | undefined;
  MetricStat?: RuleMetricStat | undefined;
}

export interface AlarmRule {
  AlarmName: string;
  AlarmDescription?: string | undefined;
  Namespace?: string | undefined;
  MetricName?: string | undefined;
  Dimensions?: RuleDimension[] | undefined;
  Statistic?: string | undefined;
  ExtendedStatistic?: string | undefined;
  Period?: number | undefined;
  Unit?: string | undefined;
  Metrics?: RuleMetricQuery[] | undefined;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number | undefined;
  TreatMissingData: string;
}

/** An alarm rule with every dimension value a plain string, as CloudWatch stores it after deployment. */
export type ResolvedDimension = { Name: string; Value: string };

/**
 * The local value of a deploy-time reference: the ALB full names the local cloud gives its load balancers
 * and target groups (`app/<name>/local`, `targetgroup/<name>/local`), which the WeightedRouter vends its
 * metrics under; an HTTP API's id (`ApiId`) is its name locally, and an App Runner service's id
 * (`ServiceId`) is its name unless provisioning resolved it to the id the local App Runner gives it
 * (see provision.ts). A plain string is itself.
 */
export function resolveDimensionValue(value: DimensionValue, alarm: string): string {
  if (typeof value === 'string') return value;
  if (value.Attribute === 'LoadBalancerFullName') return `app/${value.Ref}/local`;
  if (value.Attribute === 'TargetGroupFullName') return `targetgroup/${value.Ref}/local`;
  if (value.Attribute === 'ApiId' || value.Attribute === 'ServiceId') return value.Ref;
  throw new Error(
    `alarm ${alarm}: the local cloud cannot resolve the dimension reference ${value.Ref}.${value.Attribute}; it knows LoadBalancerFullName, TargetGroupFullName, ApiId and ServiceId`,
  );
}

export function resolveDimensions(
  dimensions: RuleDimension[] | undefined,
  alarm: string,
): ResolvedDimension[] {
  return (dimensions ?? []).map(({ Name, Value }) => ({ Name, Value: resolveDimensionValue(Value, alarm) }));
}
