import { readFileSync } from 'node:fs';
import { ComparisonOperator, StandardUnit, Statistic } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import {
  ALARM_COMPARISON_OPERATORS,
  ALARM_STATISTICS,
  type AlarmRule,
  alarmRuleSchema,
  STANDARD_UNITS,
} from '../../src/targets/alarm-rule';
import { parseReleaseManifest } from '../../src/targets/manifest';
import { TEST_MANIFEST } from '../fixtures/manifest';

const CHECKED_IN = JSON.parse(
  readFileSync(new URL('../../../infra/aws/release-manifest.json', import.meta.url), 'utf8'),
) as unknown;

type Editable = {
  workloads: Record<string, { environments: Record<string, { alarms: string[]; alarmRules: AlarmRule[] }> }>;
};

/** The checked-in manifest with its payments/staging target changed by `edit`. */
function withPaymentsStaging(edit: (target: { alarms: string[]; alarmRules: AlarmRule[] }) => void): unknown {
  const manifest = structuredClone(CHECKED_IN) as Editable;
  const target = manifest.workloads.payments?.environments.staging;
  if (!target) throw new Error('the checked-in manifest has no payments/staging target');
  edit(target);
  return manifest;
}

const singleMetric: AlarmRule = {
  AlarmName: 'shop-staging-api-errors',
  Namespace: 'AWS/Lambda',
  MetricName: 'Errors',
  Dimensions: [{ Name: 'FunctionName', Value: 'shop-staging-api' }],
  Statistic: 'Sum',
  Period: 60,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  EvaluationPeriods: 3,
  DatapointsToAlarm: 2,
  TreatMissingData: 'notBreaching',
};

const metricMath: AlarmRule = {
  AlarmName: 'shop-staging-api-error-rate',
  Metrics: [
    {
      Id: 'rate',
      Expression: 'IF(requests >= 20, FILL(errors, 0) / requests, 0)',
      Label: 'rate',
      ReturnData: true,
    },
    ...['requests', 'errors'].map((id) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'Shop', MetricName: id, Dimensions: [{ Name: 'service', Value: 'api' }] },
        Period: 60,
        Stat: 'Sum',
      },
    })),
  ],
  Threshold: 0.1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  EvaluationPeriods: 3,
  TreatMissingData: 'notBreaching',
};

const issuesOf = (rule: unknown): string[] =>
  alarmRuleSchema.safeParse(rule).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('release manifest: alarm rules', () => {
  it('accepts the generated manifest, whose every target carries one rule per alarm, in order', () => {
    const manifest = parseReleaseManifest(CHECKED_IN);
    const targets = Object.values(manifest.workloads).flatMap((w) => Object.values(w.environments));
    expect(targets).toHaveLength(20);
    for (const target of targets) expect(target.alarmRules?.map((r) => r.AlarmName)).toEqual(target.alarms);
    expect(manifest.workloads.checkout?.environments.production?.alarmRules?.[0]?.Dimensions).toEqual([
      { Name: 'LoadBalancer', Value: { Ref: 'sc-prd-checkout', Attribute: 'LoadBalancerFullName' } },
    ]);
  });

  it('keeps alarmRules optional: hand-written targets without rules still parse', () => {
    const targets = Object.values(TEST_MANIFEST.workloads).flatMap((w) => Object.values(w.environments));
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.every((t) => t.alarmRules === undefined)).toBe(true);
  });

  it('refuses a rule for an alarm the target does not list, naming the target and the alarm', () => {
    const broken = withPaymentsStaging((t) => {
      t.alarmRules[1] = { ...(t.alarmRules[1] as AlarmRule), AlarmName: 'securecart-staging-payments-oops' };
    });
    expect(() => parseReleaseManifest(broken)).toThrow(
      'workloads.payments.environments.staging.alarmRules.1.AlarmName: the lambda target in staging has a rule ' +
        'for alarm "securecart-staging-payments-oops", which is not in its alarms',
    );
    expect(() => parseReleaseManifest(broken)).toThrow(
      'workloads.payments.environments.staging.alarmRules: the lambda target in staging has no rule for its ' +
        'alarm "securecart-staging-payments-p99-latency"',
    );
  });

  it('refuses a target whose alarm has no rule, and rules out of the order of alarms', () => {
    const missing = withPaymentsStaging((t) => {
      t.alarmRules.pop();
    });
    expect(() => parseReleaseManifest(missing)).toThrow(
      /alarmRules: the lambda target in staging has no rule for its alarm "securecart-staging-payments-throttles"/,
    );
    const reordered = withPaymentsStaging((t) => {
      t.alarmRules.reverse();
    });
    expect(() => parseReleaseManifest(reordered)).toThrow(
      'alarmRules.0.AlarmName: the lambda target in staging: alarmRules[0] is "securecart-staging-payments-throttles" ' +
        'but alarms[0] is "securecart-staging-payments-errors"; one rule per alarm, in the order of alarms',
    );
    const repeated = withPaymentsStaging((t) => {
      t.alarmRules.push(t.alarmRules[0] as AlarmRule);
    });
    expect(() => parseReleaseManifest(repeated)).toThrow(
      /alarmRules\[3\] is "securecart-staging-payments-errors" but alarms\[3\] is absent/,
    );
  });

  it('refuses a comparison operator CloudWatch does not define, naming the field', () => {
    const broken = withPaymentsStaging((t) => {
      (t.alarmRules[0] as { ComparisonOperator: string }).ComparisonOperator = 'GreaterThan';
    });
    expect(() => parseReleaseManifest(broken)).toThrow(
      /workloads\.payments\.environments\.staging\.alarmRules\.0\.ComparisonOperator: Invalid option: expected one of "GreaterThanOrEqualToThreshold"/,
    );
  });

  it('accepts a single-metric rule and a metric-math rule as PutMetricAlarm takes them', () => {
    expect(alarmRuleSchema.parse(singleMetric)).toEqual(singleMetric);
    expect(alarmRuleSchema.parse(metricMath)).toEqual(metricMath);
  });

  it('refuses what PutMetricAlarm refuses: both shapes, no returned series, a missing statistic, bad periods', () => {
    expect(issuesOf({ ...metricMath, MetricName: 'Errors' })).toEqual([
      'Metrics: a rule has either Metrics or a single metric (MetricName, Namespace, statistic, Period)',
    ]);
    const noneReturned = metricMath.Metrics?.map((m) => ({ ...m, ReturnData: false }));
    expect(issuesOf({ ...metricMath, Metrics: noneReturned })).toEqual([
      'Metrics: exactly one query returns data (here 0)',
    ]);
    const { Statistic: _, ...noStatistic } = singleMetric;
    expect(issuesOf(noStatistic)).toEqual([
      'Statistic: a single-metric rule has one of Statistic and ExtendedStatistic',
    ]);
    expect(issuesOf({ ...singleMetric, ExtendedStatistic: 'p99' })).toEqual([
      'Statistic: a single-metric rule has one of Statistic and ExtendedStatistic',
    ]);
    expect(issuesOf({ ...singleMetric, Period: 90 })).toEqual([
      'Period: a period of 10, 20, 30 or a multiple of 60 seconds',
    ]);
    expect(issuesOf({ ...singleMetric, DatapointsToAlarm: 4 })).toEqual([
      'DatapointsToAlarm: DatapointsToAlarm is at most EvaluationPeriods',
    ]);
    expect(issuesOf({ ...singleMetric, TreatMissingData: 'NOT_BREACHING' })[0]).toMatch(
      /^TreatMissingData: Invalid option/,
    );
    expect(issuesOf({ ...singleMetric, AlarmDescription: 'not part of the rule' })[0]).toMatch(
      /Unrecognized key: "AlarmDescription"/,
    );
  });

  it('takes a deploy-time reference only as a dimension value, with the attributes SecureCart uses', () => {
    const dimension = (Value: unknown) => ({
      ...singleMetric,
      Dimensions: [{ Name: 'LoadBalancer', Value }],
    });
    expect(issuesOf(dimension({ Ref: 'sc-stg-checkout', Attribute: 'LoadBalancerFullName' }))).toEqual([]);
    expect(issuesOf(dimension({ Ref: 'sc-stg-checkout', Attribute: 'Arn' }))[0]).toMatch(
      /^Dimensions\.0\.Value/,
    );
    expect(issuesOf(dimension({ 'Fn::GetAtt': ['Alb', 'LoadBalancerFullName'] }))[0]).toMatch(
      /^Dimensions\.0\.Value/,
    );
    expect(issuesOf({ ...singleMetric, Threshold: { Ref: 'x', Attribute: 'ApiId' } })[0]).toMatch(
      /^Threshold:/,
    );
  });

  it('reads extended statistics as CloudWatch writes them', () => {
    for (const stat of [
      'p99',
      'p99.9',
      'p100',
      'p0.0',
      'tm90',
      'wm99',
      'IQM',
      'TM(10%:90%)',
      'PR(100:2000)',
    ]) {
      expect(issuesOf({ ...singleMetric, Statistic: undefined, ExtendedStatistic: stat }), stat).toEqual([]);
    }
    for (const stat of ['P99', 'p101', 'p', 'percentile99', 'Sum']) {
      expect(issuesOf({ ...singleMetric, Statistic: undefined, ExtendedStatistic: stat })[0], stat).toMatch(
        /^ExtendedStatistic: a CloudWatch extended statistic/,
      );
    }
  });

  it('spells its enums as the CloudWatch SDK does', () => {
    expect([...ALARM_STATISTICS].sort()).toEqual(Object.values(Statistic).sort());
    expect([...STANDARD_UNITS].sort()).toEqual(Object.values(StandardUnit).sort());
    // The static-threshold operators; the anomaly-band ones need ThresholdMetricId, which is not recorded.
    expect(Object.values(ComparisonOperator)).toEqual(
      expect.arrayContaining([...ALARM_COMPARISON_OPERATORS]),
    );
    expect(
      Object.values(ComparisonOperator).filter((o) => !ALARM_COMPARISON_OPERATORS.includes(o as never)),
    ).toEqual([
      'GreaterThanUpperThreshold',
      'LessThanLowerOrGreaterThanUpperThreshold',
      'LessThanLowerThreshold',
    ]);
  });
});
