import type { MetricIdentity, MetricStore } from '../../telemetry/metric-store';
import { statistic } from '../../telemetry/statistics';

/** A Metrics Insights query of the form SecureCart's alarms use. */
export interface InsightsQuery {
  fn: 'SUM' | 'MAX' | 'MIN' | 'AVG' | 'COUNT';
  metric: string;
  namespace: string;
  /** SCHEMA(namespace, keys…): only streams with exactly these dimension keys; undefined: any stream. */
  schemaKeys?: string[];
  where: { key: string; value: string }[];
}

export class InsightsSyntaxError extends Error {}

const QUERY =
  /^\s*SELECT\s+(SUM|MAX|MIN|AVG|COUNT)\s*\(\s*([A-Za-z0-9_.-]+)\s*\)\s+FROM\s+(?:SCHEMA\s*\(\s*([^)]*)\)|([A-Za-z0-9_/.\-"]+))(?:\s+WHERE\s+(.+?))?\s*$/i;
const CONDITION = /^\s*([A-Za-z0-9_.-]+)\s*=\s*'([^']*)'\s*$/;

/** Is this metric math text a Metrics Insights query (as opposed to an expression)? */
export function isInsightsQuery(expression: string): boolean {
  return /^\s*SELECT\s/i.test(expression);
}

/**
 * `SELECT FN(metric) FROM SCHEMA(namespace, key, …) | FROM namespace [WHERE key = 'value' AND …]`; the
 * GROUP BY, ORDER BY and LIMIT clauses and other operators are refused (no SecureCart alarm uses them).
 */
export function parseInsightsQuery(text: string): InsightsQuery {
  const match = QUERY.exec(text);
  if (!match) {
    throw new InsightsSyntaxError(
      `the local CloudWatch understands Metrics Insights queries of the form SELECT FN(metric) FROM SCHEMA(namespace, keys) WHERE key = 'value', not ${JSON.stringify(text)}`,
    );
  }
  const [, fn, metric, schema, namespace, where] = match;
  const schemaParts = schema?.split(',').map((part) => unquote(part.trim()));
  const conditions = where ? where.split(/\s+AND\s+/i) : [];
  const query: InsightsQuery = {
    fn: (fn as string).toUpperCase() as InsightsQuery['fn'],
    metric: metric as string,
    namespace: schemaParts ? (schemaParts[0] as string) : unquote(namespace as string),
    where: conditions.map((condition) => {
      const parsed = CONDITION.exec(condition);
      if (!parsed) throw new InsightsSyntaxError(`unsupported WHERE condition ${JSON.stringify(condition)}`);
      return { key: parsed[1] as string, value: parsed[2] as string };
    }),
  };
  if (schemaParts) query.schemaKeys = schemaParts.slice(1);
  return query;
}

/**
 * The query's value for one period: the function over every matching stream's samples. SUM, COUNT, MAX
 * and MIN combine each stream's Sum, SampleCount, Maximum, Minimum; AVG is the mean of all samples.
 */
export function insightsValue(
  store: MetricStore,
  query: InsightsQuery,
  from: number,
  to: number,
  account: string | undefined,
): number | undefined {
  const streams = store.streamsOf(query.namespace, query.metric).filter((s) => selected(s, query));
  const values = streams.flatMap((s) => store.values(s, from, to, account ? { account } : {}));
  const stat = { SUM: 'Sum', MAX: 'Maximum', MIN: 'Minimum', AVG: 'Average', COUNT: 'SampleCount' }[query.fn];
  return statistic(values, stat);
}

function selected(stream: MetricIdentity, query: InsightsQuery): boolean {
  const keys = Object.keys(stream.dimensions).sort();
  if (query.schemaKeys && keys.join('\u0000') !== [...query.schemaKeys].sort().join('\u0000')) return false;
  return query.where.every(({ key, value }) => stream.dimensions[key] === value);
}

function unquote(text: string): string {
  return text.replace(/^"(.*)"$/, '$1');
}
