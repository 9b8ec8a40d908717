import type { ResultField } from '@aws-sdk/client-cloudwatch-logs';
import type { Command, Expr } from './insights-parser';

/** A log event's fields as Logs Insights discovers them in JSON: nested keys joined with dots. */
export type Fields = Map<string, unknown>;

export function flattenFields(record: Record<string, unknown>, timestamp: number): Fields {
  const fields: Fields = new Map([['@timestamp', timestamp]]);
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    } else fields.set(path, value);
  };
  walk(record, '');
  return fields;
}

export interface QueryOutcome {
  rows: ResultField[][];
  recordsMatched: number;
}

/**
 * Runs the commands over the events: filters in order, then sorts (by @timestamp, newest first, when
 * the query names no order), cuts to the query's limit (or `limit`), and projects the `fields`.
 * `recordsMatched` counts every event that passed the filters, before any limit.
 */
export function runQuery(commands: Command[], events: Fields[], limit: number): QueryOutcome {
  let matched = events;
  for (const command of commands) {
    if (command.kind === 'filter') matched = matched.filter((fields) => truthy(value(command.expr, fields)));
  }
  const sort = commands.find((c) => c.kind === 'sort') ?? {
    kind: 'sort',
    field: '@timestamp',
    descending: true,
  };
  const sorted = [...matched].sort(
    (a, b) => order(a.get(sort.field), b.get(sort.field)) * (sort.descending ? -1 : 1),
  );
  const limits = commands.flatMap((c) => (c.kind === 'limit' ? [c.count] : []));
  const kept = sorted.slice(0, Math.min(limit, ...limits));
  const names = commands.flatMap((c) => (c.kind === 'fields' ? c.names : []));
  const rows = kept.map((fields, i) => {
    const shown = names.length > 0 ? names : [...fields.keys()];
    const row: ResultField[] = shown
      .filter((name) => fields.get(name) !== undefined && fields.get(name) !== null)
      .map((name) => ({ field: name, value: text(fields.get(name)) }));
    row.push({ field: '@ptr', value: `ptr-${i}` });
    return row;
  });
  return { rows, recordsMatched: matched.length };
}

type Value = string | number | boolean | undefined;

function value(expr: Expr, fields: Fields): Value {
  switch (expr.kind) {
    case 'field':
      return scalar(fields.get(expr.name));
    case 'string':
    case 'number':
      return expr.value;
    case 'ispresent':
      return fields.get(expr.field) !== undefined && fields.get(expr.field) !== null;
    case 'not':
      return !truthy(value(expr.operand, fields));
    case 'logical': {
      const left = truthy(value(expr.left, fields));
      return expr.op === 'and'
        ? left && truthy(value(expr.right, fields))
        : left || truthy(value(expr.right, fields));
    }
    case 'compare':
      return compare(expr.op, value(expr.left, fields), value(expr.right, fields));
  }
}

/** Numbers compare as doubles (as Logs Insights does); anything else as strings; a missing field matches nothing. */
function compare(op: string, left: Value, right: Value): boolean {
  if (left === undefined || right === undefined) return false;
  const numeric = isNumeric(left) && isNumeric(right);
  const a = numeric ? Number(left) : String(left);
  const b = numeric ? Number(right) : String(right);
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function isNumeric(value: Value): boolean {
  return (
    typeof value === 'number' ||
    (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
  );
}

function scalar(raw: unknown): Value {
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return raw === undefined || raw === null ? undefined : JSON.stringify(raw);
}

function truthy(value: Value): boolean {
  return value !== undefined && value !== false && value !== 0 && value !== '';
}

function order(a: unknown, b: unknown): number {
  const x = typeof a === 'bigint' ? Number(a) : a;
  const y = typeof b === 'bigint' ? Number(b) : b;
  if (x === y) return 0;
  if (x === undefined) return -1;
  if (y === undefined) return 1;
  return (x as number) < (y as number) ? -1 : 1;
}

/** A result value as Logs Insights prints it: big integers exactly, arrays and objects as JSON. */
function text(raw: unknown): string {
  if (typeof raw === 'bigint') return raw.toString();
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return JSON.stringify(raw);
}
