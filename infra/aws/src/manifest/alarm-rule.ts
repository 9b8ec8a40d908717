import { type AlarmRule, alarmRuleSchema } from '@tollgate/pipelines/targets/alarm-rule';
import { Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { DeployTimeValues } from './deploy-time-values';

/**
 * A gating alarm's rule as the release manifest records it, read from the alarm's own L1 (what the CDK
 * renders into the template, so the manifest cannot disagree with the deployed alarm): the CloudWatch
 * PutMetricAlarm keys, with each CloudFormation value in a dimension recorded by `values`.
 */
export function recordAlarmRule(alarm: cloudwatch.Alarm, values: DeployTimeValues): AlarmRule {
  const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  const stack = Stack.of(alarm);
  const what = `alarm ${cfn.alarmName ?? alarm.node.path}`;
  // Settings that change how the alarm evaluates but have no place in the recorded rule.
  for (const [key, value] of Object.entries({
    thresholdMetricId: cfn.thresholdMetricId,
    evaluateLowSampleCountPercentile: cfn.evaluateLowSampleCountPercentile,
  })) {
    if (value !== undefined)
      throw new Error(`${what} sets ${key}, which the release manifest does not record`);
  }
  const resolved = stack.resolve({
    alarmName: cfn.alarmName,
    namespace: cfn.namespace,
    metricName: cfn.metricName,
    dimensions: cfn.dimensions,
    statistic: cfn.statistic,
    extendedStatistic: cfn.extendedStatistic,
    period: cfn.period,
    unit: cfn.unit,
    metrics: cfn.metrics,
    threshold: cfn.threshold,
    comparisonOperator: cfn.comparisonOperator,
    evaluationPeriods: cfn.evaluationPeriods,
    datapointsToAlarm: cfn.datapointsToAlarm,
    treatMissingData: cfn.treatMissingData,
  }) as unknown;
  const shaped = toCloudWatchShape(resolved, (value, dimension) =>
    values.record(value, stack, `${what}: dimension ${dimension}`),
  );
  const parsed = alarmRuleSchema.safeParse(shaped);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(rule)'}: ${i.message}`).join('; ');
    throw new Error(`${what} does not fit the release manifest's alarm rule: ${issues}`);
  }
  return parsed.data;
}

/**
 * The L1's camelCase property names → CloudWatch's (and CloudFormation's) PascalCase ones, e.g.
 * `metricStat.metric.dimensions[].name` → `MetricStat.Metric.Dimensions[].Name`. Dimension values go
 * through `dimensionValue` (they are where CloudFormation values appear).
 */
function toCloudWatchShape(
  value: unknown,
  dimensionValue: (value: unknown, dimension: string) => unknown,
): unknown {
  if (Array.isArray(value)) return value.map((v) => toCloudWatchShape(v, dimensionValue));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const shaped =
        key === 'dimensions' && Array.isArray(v) ? v.map((d) => dimension(d, dimensionValue)) : v;
      return [key.charAt(0).toUpperCase() + key.slice(1), toCloudWatchShape(shaped, dimensionValue)];
    }),
  );
}

function dimension(d: unknown, dimensionValue: (value: unknown, dimension: string) => unknown): unknown {
  const { name, value } = d as { name: string; value: unknown };
  return { name, value: dimensionValue(value, name) };
}
