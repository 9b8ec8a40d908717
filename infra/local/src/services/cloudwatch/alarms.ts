import type { MetricAlarm, MetricDataQuery, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { MetricStore } from '../../telemetry/metric-store';
import { type AlarmRule, type RuleMetricQuery, resolveDimensions } from './alarm-rule';
import { alarmPeriod, alarmSeries } from './alarm-series';
import {
  type AlarmState,
  comparison,
  evaluateAlarm,
  stateReason,
  type TreatMissingData,
} from './alarm-state';

/** One provisioned metric alarm and its state. */
export interface StoredAlarm {
  rule: AlarmRule;
  account: string;
  region: string;
  createdAt: number;
  state: AlarmState;
  reason: string;
  /** When StateValue last changed. */
  transitionedAt: number;
  /** The last period evaluated (its start, cloud ms), so each period is evaluated once. */
  lastEvaluatedPeriod?: number;
}

/**
 * Extra periods fetched beyond EvaluationPeriods: CloudWatch's "evaluation range" is larger than N by an
 * unpublished number that depends on the period; its documented examples use N + 2, as here.
 */
export const EXTRA_RANGE_PERIODS = 2;

export class AlarmBook {
  private readonly alarms = new Map<string, StoredAlarm>();

  constructor(private readonly metrics: MetricStore) {}

  put(rule: AlarmRule, account: string, region: string, now: number): void {
    alarmPeriod(rule);
    comparison(rule.ComparisonOperator, rule.Threshold);
    this.alarms.set(rule.AlarmName, {
      rule,
      account,
      region,
      createdAt: now,
      state: 'INSUFFICIENT_DATA',
      reason: 'Unchecked: Initial alarm creation',
      transitionedAt: now,
    });
  }

  get(name: string): StoredAlarm | undefined {
    return this.alarms.get(name);
  }

  all(): StoredAlarm[] {
    return [...this.alarms.values()];
  }

  /**
   * Evaluates every alarm whose latest period has ended at least `settleMs` before `now` (periods aligned
   * to multiples of the period since the epoch), once per period.
   */
  evaluate(now: number, settleMs: number): void {
    const failures: string[] = [];
    for (const alarm of this.alarms.values()) {
      try {
        this.evaluateOne(alarm, now, settleMs);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (failures.length > 0) throw new Error(`some alarms could not be evaluated: ${failures.join('; ')}`);
  }

  private evaluateOne(alarm: StoredAlarm, now: number, settleMs: number): void {
    const { rule } = alarm;
    const period = alarmPeriod(rule) * 1000;
    const lastStart = Math.floor((now - settleMs) / period) * period - period;
    if (alarm.lastEvaluatedPeriod !== undefined && lastStart <= alarm.lastEvaluatedPeriod) return;
    alarm.lastEvaluatedPeriod = lastStart;
    const count = rule.EvaluationPeriods + EXTRA_RANGE_PERIODS;
    const from = lastStart - (count - 1) * period;
    const points = alarmSeries(rule, this.metrics, alarm.account, from, count);
    const m = rule.DatapointsToAlarm ?? rule.EvaluationPeriods;
    const state = evaluateAlarm({
      points,
      evaluationPeriods: rule.EvaluationPeriods,
      datapointsToAlarm: m,
      treatMissingData: (rule.TreatMissingData ?? 'missing') as TreatMissingData,
      breaches: comparison(rule.ComparisonOperator, rule.Threshold),
      current: alarm.state,
    });
    if (state === alarm.state) return;
    const dated = points.map((value, i) => ({ at: from + i * period, value }));
    const considered = dated.filter((p) => p.value !== undefined).slice(-rule.EvaluationPeriods);
    alarm.reason = stateReason(
      state,
      rule.ComparisonOperator,
      rule.Threshold,
      m,
      considered.length ? considered : dated,
    );
    alarm.state = state;
    alarm.transitionedAt = now;
  }
}

/** The DescribeAlarms MetricAlarm of a stored alarm. */
export function describedAlarm(alarm: StoredAlarm): MetricAlarm {
  const { rule } = alarm;
  const described: MetricAlarm = {
    AlarmName: rule.AlarmName,
    AlarmArn: `arn:aws:cloudwatch:${alarm.region}:${alarm.account}:alarm:${rule.AlarmName}`,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.createdAt),
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    StateValue: alarm.state,
    StateReason: alarm.reason,
    StateUpdatedTimestamp: new Date(alarm.transitionedAt),
    StateTransitionedTimestamp: new Date(alarm.transitionedAt),
    EvaluationPeriods: rule.EvaluationPeriods,
    DatapointsToAlarm: rule.DatapointsToAlarm ?? rule.EvaluationPeriods,
    Threshold: rule.Threshold,
    ComparisonOperator: rule.ComparisonOperator as MetricAlarm['ComparisonOperator'],
    TreatMissingData: rule.TreatMissingData,
    Dimensions: resolveDimensions(rule.Dimensions, rule.AlarmName),
  };
  if (rule.AlarmDescription) described.AlarmDescription = rule.AlarmDescription;
  if (rule.Namespace) described.Namespace = rule.Namespace;
  if (rule.MetricName) described.MetricName = rule.MetricName;
  if (rule.Statistic) described.Statistic = rule.Statistic as MetricAlarm['Statistic'];
  if (rule.ExtendedStatistic) described.ExtendedStatistic = rule.ExtendedStatistic;
  if (rule.Period) described.Period = rule.Period;
  if (rule.Unit) described.Unit = rule.Unit as MetricAlarm['Unit'];
  if (rule.Metrics) described.Metrics = rule.Metrics.map((query) => describedQuery(query, rule.AlarmName));
  return described;
}

function describedQuery(query: RuleMetricQuery, alarm: string): MetricDataQuery {
  const described: MetricDataQuery = { Id: query.Id };
  if (query.Expression !== undefined) described.Expression = query.Expression;
  if (query.Label !== undefined) described.Label = query.Label;
  if (query.ReturnData !== undefined) described.ReturnData = query.ReturnData;
  if (query.Period !== undefined) described.Period = query.Period;
  if (query.MetricStat) {
    const { Metric, Period, Stat, Unit } = query.MetricStat;
    described.MetricStat = {
      Metric: {
        Namespace: Metric.Namespace,
        MetricName: Metric.MetricName,
        Dimensions: resolveDimensions(Metric.Dimensions, alarm),
      },
      Period,
      Stat,
      ...(Unit ? { Unit: Unit as StandardUnit } : {}),
    };
  }
  return described;
}
