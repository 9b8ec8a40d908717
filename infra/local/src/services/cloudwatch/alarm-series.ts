import type { MetricStore } from '../../telemetry/metric-store';
import { statistic } from '../../telemetry/statistics';
import type { AlarmRule, RuleMetricQuery } from './alarm-rule';
import { resolveDimensions } from './alarm-rule';
import { evaluateMath, type MathValue, parseMath } from './metric-math';
import { insightsValue, isInsightsQuery, parseInsightsQuery } from './metrics-insights';

/** The alarm's datapoint for each period of [from, from + count × period), oldest first (undefined = missing). */
export function alarmSeries(
  rule: AlarmRule,
  store: MetricStore,
  account: string | undefined,
  from: number,
  count: number,
): (number | undefined)[] {
  const period = alarmPeriod(rule) * 1000;
  const starts = Array.from({ length: count }, (_, i) => from + i * period);
  if (!rule.Metrics?.length) {
    const stat = rule.ExtendedStatistic ?? rule.Statistic ?? 'Average';
    const identity = {
      namespace: rule.Namespace ?? '',
      name: rule.MetricName ?? '',
      dimensions: dimensionMap(rule.Dimensions, rule.AlarmName),
    };
    const options = { ...(account ? { account } : {}), ...(rule.Unit ? { unit: rule.Unit } : {}) };
    return starts.map((start) => statistic(store.values(identity, start, start + period, options), stat));
  }
  const byId = new Map(rule.Metrics.map((query) => [query.Id, query]));
  const computed = new Map<string, MathValue>();
  const queryResult = (id: string, depth = 0): MathValue => {
    const known = computed.get(id);
    if (known !== undefined) return known;
    const query = byId.get(id);
    if (!query || depth > 16)
      throw new Error(`alarm ${rule.AlarmName}: the metric math reads ${id}, which no query defines`);
    const value = queryValue(query, rule, store, account, starts, period, (next) =>
      queryResult(next, depth + 1),
    );
    computed.set(id, value);
    return value;
  };
  const returned = rule.Metrics.filter((query) => query.ReturnData !== false);
  const result =
    returned.length === 1 ? returned[0] : rule.Metrics.find((query) => query.ReturnData === true);
  if (!result) throw new Error(`alarm ${rule.AlarmName}: exactly one metric query must have ReturnData true`);
  const value = queryResult(result.Id);
  return typeof value === 'number' ? starts.map(() => value) : value;
}

function queryValue(
  query: RuleMetricQuery,
  rule: AlarmRule,
  store: MetricStore,
  account: string | undefined,
  starts: number[],
  period: number,
  lookup: (id: string) => MathValue,
): MathValue {
  if (query.MetricStat) {
    const { Metric, Stat, Unit } = query.MetricStat;
    const identity = {
      namespace: Metric.Namespace,
      name: Metric.MetricName,
      dimensions: dimensionMap(Metric.Dimensions, rule.AlarmName),
    };
    const options = { ...(account ? { account } : {}), ...(Unit ? { unit: Unit } : {}) };
    return starts.map((start) => statistic(store.values(identity, start, start + period, options), Stat));
  }
  const expression = query.Expression ?? '';
  if (isInsightsQuery(expression)) {
    const parsed = parseInsightsQuery(expression);
    return starts.map((start) => insightsValue(store, parsed, start, start + period, account));
  }
  return evaluateMath(parseMath(expression), starts.length, lookup);
}

/** The alarm's period in seconds: its own, or its metric queries'. */
export function alarmPeriod(rule: AlarmRule): number {
  const period =
    rule.Period ?? rule.Metrics?.map((q) => q.MetricStat?.Period ?? q.Period).find((p) => p !== undefined);
  if (!period || period <= 0) throw new Error(`alarm ${rule.AlarmName} has no period`);
  return period;
}

function dimensionMap(dimensions: AlarmRule['Dimensions'], alarm: string): Record<string, string> {
  return Object.fromEntries(resolveDimensions(dimensions, alarm).map(({ Name, Value }) => [Name, Value]));
}
