import { z } from 'zod';

/**
 * A gating alarm's full rule, in CloudWatch's own PutMetricAlarm / DescribeAlarms shape (the same keys as
 * CloudFormation's AWS::CloudWatch::Alarm), so whoever provisions alarms from the manifest (the local cloud)
 * creates them with exactly the rule AWS evaluates. Either a single metric (`Namespace`, `MetricName`,
 * `Dimensions`, `Statistic` or `ExtendedStatistic`, `Period`) or a metric-math query (`Metrics`), never both.
 *
 * Only a static threshold is recorded: anomaly-detection bands (`ThresholdMetricId` and the three band
 * operators) and `EvaluateLowSampleCountPercentile` are not part of the shape, because no gate uses them.
 */

/** CloudWatch's `Statistic` enum (`@aws-sdk/client-cloudwatch` `Statistic`). */
export const ALARM_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;

/** CloudWatch's static-threshold `ComparisonOperator` values (the SDK's enum minus the anomaly-band ones). */
export const ALARM_COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;

/** `TreatMissingData` as PutMetricAlarm documents it. */
export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;

/** CloudWatch's `StandardUnit` enum. */
export const STANDARD_UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;

/**
 * Deploy-time attributes a dimension value may refer to: the CloudFormation attribute (`Fn::GetAtt` name;
 * `ApiId` is what `Ref` of an AWS::ApiGatewayV2::Api returns) of the resource whose literal name is `Ref`.
 * Only those SecureCart's alarms use: an ALB's full name, an HTTP API's id, an App Runner service's id.
 */
export const DEPLOY_TIME_ATTRIBUTES = ['LoadBalancerFullName', 'ApiId', 'ServiceId'] as const;

/**
 * ExtendedStatistic as PutMetricAlarm accepts it: p90, tm90, tc90, ts90, wm90, IQM, PR(n:m),
 * TC/TM/TS/WM(X%:X%).
 */
const EXTENDED_STATISTIC =
  /^(p|tm|tc|ts|wm)(100|\d{1,2}(\.\d+)?)$|^IQM$|^PR\(-?\d*(\.\d+)?:-?\d*(\.\d+)?\)$|^(TC|TM|TS|WM)\(\d{1,2}(\.\d+)?%:\d{1,2}(\.\d+)?%\)$/;

const extendedStatistic = z
  .string()
  .regex(EXTENDED_STATISTIC, 'a CloudWatch extended statistic such as p99, tm90, IQM or TM(10%:90%)');

/** Standard resolution: 10, 20, 30 or a multiple of 60 seconds. */
const period = z
  .number()
  .int()
  .refine((p) => p === 10 || p === 20 || p === 30 || (p > 0 && p % 60 === 0), {
    message: 'a period of 10, 20, 30 or a multiple of 60 seconds',
  });

export const deployTimeReferenceSchema = z.strictObject({
  /** The resource's deterministic (literal) name, e.g. the ALB's `loadBalancerName`. */
  Ref: z.string().min(1),
  Attribute: z.enum(DEPLOY_TIME_ATTRIBUTES),
});

export const alarmDimensionSchema = z.strictObject({
  Name: z.string().min(1).max(255),
  /** A literal value, or a reference to one CloudFormation only knows at deploy time. */
  Value: z.union([z.string().min(1).max(1024), deployTimeReferenceSchema]),
});

const dimensions = z.array(alarmDimensionSchema).max(30);

export const alarmMetricStatSchema = z.strictObject({
  Metric: z.strictObject({
    Namespace: z.string().min(1),
    MetricName: z.string().min(1),
    Dimensions: dimensions,
  }),
  Period: period,
  Stat: z.union([z.enum(ALARM_STATISTICS), extendedStatistic]),
  Unit: z.enum(STANDARD_UNITS).optional(),
});

export const alarmMetricQuerySchema = z
  .strictObject({
    Id: z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, 'an id starting with a lowercase letter'),
    Expression: z.string().min(1).optional(),
    Label: z.string().optional(),
    ReturnData: z.boolean().optional(),
    Period: period.optional(),
    MetricStat: alarmMetricStatSchema.optional(),
  })
  .refine((q) => (q.Expression === undefined) !== (q.MetricStat === undefined), {
    message: 'a metric query has exactly one of Expression and MetricStat',
  });

const alarmRuleFields = z.strictObject({
  AlarmName: z.string().min(1),
  Namespace: z.string().min(1).optional(),
  MetricName: z.string().min(1).optional(),
  Dimensions: dimensions.optional(),
  Statistic: z.enum(ALARM_STATISTICS).optional(),
  ExtendedStatistic: extendedStatistic.optional(),
  Period: period.optional(),
  Unit: z.enum(STANDARD_UNITS).optional(),
  Metrics: z.array(alarmMetricQuerySchema).min(1).optional(),
  Threshold: z.number(),
  ComparisonOperator: z.enum(ALARM_COMPARISON_OPERATORS),
  EvaluationPeriods: z.number().int().positive(),
  DatapointsToAlarm: z.number().int().positive().optional(),
  TreatMissingData: z.enum(TREAT_MISSING_DATA),
});

export const alarmRuleSchema = alarmRuleFields.superRefine((rule, ctx) => {
  for (const issue of ruleShapeIssues(rule)) ctx.addIssue({ code: 'custom', ...issue });
});

export type DeployTimeReference = z.infer<typeof deployTimeReferenceSchema>;
export type AlarmDimension = z.infer<typeof alarmDimensionSchema>;
export type AlarmMetricStat = z.infer<typeof alarmMetricStatSchema>;
export type AlarmMetricQuery = z.infer<typeof alarmMetricQuerySchema>;
export type AlarmRule = z.infer<typeof alarmRuleSchema>;

/** The cross-field rules PutMetricAlarm enforces: one metric or one math query, one returned series. */
function ruleShapeIssues(rule: z.infer<typeof alarmRuleFields>): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const single = [rule.MetricName, rule.Namespace, rule.Statistic, rule.ExtendedStatistic, rule.Period];
  if (rule.Metrics) {
    if (single.some((v) => v !== undefined) || rule.Dimensions) {
      issues.push({
        path: ['Metrics'],
        message: 'a rule has either Metrics or a single metric (MetricName, Namespace, statistic, Period)',
      });
    }
    const returned = rule.Metrics.filter((m) => m.ReturnData !== false).length;
    if (returned !== 1) {
      issues.push({ path: ['Metrics'], message: `exactly one query returns data (here ${returned})` });
    }
  } else {
    if (!rule.MetricName || !rule.Namespace || rule.Period === undefined) {
      issues.push({
        path: ['MetricName'],
        message: 'a single-metric rule needs Namespace, MetricName and Period',
      });
    }
    if ((rule.Statistic === undefined) === (rule.ExtendedStatistic === undefined)) {
      issues.push({
        path: ['Statistic'],
        message: 'a single-metric rule has one of Statistic and ExtendedStatistic',
      });
    }
  }
  if (rule.DatapointsToAlarm !== undefined && rule.DatapointsToAlarm > rule.EvaluationPeriods) {
    issues.push({ path: ['DatapointsToAlarm'], message: 'DatapointsToAlarm is at most EvaluationPeriods' });
  }
  return issues;
}

/**
 * `alarmRules`, when present, names exactly the alarms in `alarms`, in the same order: one rule per gate.
 * Said with the target's platform and environment, since the error may come from a single target's parse.
 */
export function alarmRulesMatchAlarms(
  target: {
    platform: string;
    environment: string;
    alarms: string[];
    alarmRules?: { AlarmName: string }[] | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  if (!target.alarmRules) return;
  const where = `the ${target.platform} target in ${target.environment}`;
  const ruled = target.alarmRules.map((r) => r.AlarmName);
  const extra = ruled.flatMap((alarm, i) => (target.alarms.includes(alarm) ? [] : [{ alarm, i }]));
  const missing = target.alarms.filter((alarm) => !ruled.includes(alarm));
  for (const { alarm, i } of extra) {
    ctx.addIssue({
      code: 'custom',
      path: ['alarmRules', i, 'AlarmName'],
      message: `${where} has a rule for alarm "${alarm}", which is not in its alarms`,
    });
  }
  for (const alarm of missing) {
    ctx.addIssue({
      code: 'custom',
      path: ['alarmRules'],
      message: `${where} has no rule for its alarm "${alarm}"`,
    });
  }
  if (extra.length > 0 || missing.length > 0) return;
  // Same names: what is left to differ is the order or a repeated rule.
  const length = Math.max(ruled.length, target.alarms.length);
  const i = Array.from({ length }, (_, k) => k).find((k) => ruled[k] !== target.alarms[k]);
  if (i !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['alarmRules', i, 'AlarmName'],
      message: `${where}: alarmRules[${i}] is ${quoted(ruled[i])} but alarms[${i}] is ${quoted(target.alarms[i])}; one rule per alarm, in the order of alarms`,
    });
  }
}

function quoted(value: string | undefined): string {
  return value === undefined ? 'absent' : `"${value}"`;
}
