/** A metric math value: a time series over the evaluation's periods (undefined = no datapoint) or a scalar. */
export type MathValue = number | (number | undefined)[];

export type MathNode =
  | { kind: 'number'; value: number }
  | { kind: 'id'; name: string }
  | { kind: 'unary'; op: '-' | 'NOT'; operand: MathNode }
  | { kind: 'binary'; op: string; left: MathNode; right: MathNode }
  | { kind: 'call'; name: string; args: MathNode[] };

export class MathSyntaxError extends Error {}

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+*/^<>(),]))/y;
const LEVELS: string[][] = [
  ['OR', '||'],
  ['AND', '&&'],
  ['==', '!=', '<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/'],
  ['^'],
];

/**
 * The part of CloudWatch metric math SecureCart's alarms use: numbers, metric ids, + - * / ^, the
 * comparison operators (1 when true, 0 when false), AND / OR, NOT, parentheses, IF(condition, a, b),
 * FILL(series, value) and ABS. Anything else is a syntax error naming what was not understood.
 */
export function parseMath(expression: string): MathNode {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const fail = (why: string): never => {
    throw new MathSyntaxError(`${why} in metric math expression ${JSON.stringify(expression)}`);
  };
  const expect = (text: string) => {
    if (peek() !== text) fail(`expected ${text}`);
    position += 1;
  };
  const level = (index: number): MathNode => {
    const ops = LEVELS[index];
    if (!ops) return unary();
    let left = level(index + 1);
    while (ops.includes(String(peek()).toUpperCase())) {
      const op = String(tokens[position++]).toUpperCase();
      left = {
        kind: 'binary',
        op: op === '&&' ? 'AND' : op === '||' ? 'OR' : op,
        left,
        right: level(index + 1),
      };
    }
    return left;
  };
  const unary = (): MathNode => {
    const op = peek() === '-' ? '-' : String(peek()).toUpperCase() === 'NOT' ? 'NOT' : undefined;
    if (!op) return primary();
    position += 1;
    return { kind: 'unary', op, operand: unary() };
  };
  const primary = (): MathNode => {
    const token = tokens[position++];
    if (token === undefined) return fail('unexpected end');
    if (token === '(') {
      const inner = level(0);
      expect(')');
      return inner;
    }
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (!/^[A-Za-z_]/.test(token)) return fail(`unexpected ${JSON.stringify(token)}`);
    if (peek() !== '(') return { kind: 'id', name: token };
    position += 1;
    const args: MathNode[] = [];
    while (peek() !== ')') {
      args.push(level(0));
      if (peek() === ',') position += 1;
      else if (peek() !== ')') fail('expected , or )');
    }
    position += 1;
    return { kind: 'call', name: token.toUpperCase(), args };
  };
  const tree = level(0);
  if (position < tokens.length) fail(`unexpected ${JSON.stringify(peek())}`);
  return tree;
}

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (!/^\s*$/.test(expression.slice(TOKEN.lastIndex))) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) throw new MathSyntaxError(`unexpected character at ${at} in ${JSON.stringify(expression)}`);
    tokens.push(match[1] ?? match[2] ?? (match[3] as string));
  }
  return tokens;
}

/**
 * Evaluates over `length` periods. A datapoint missing in any operand is missing in the result (FILL is
 * how an expression supplies one); a division by zero is missing too.
 */
export function evaluateMath(node: MathNode, length: number, lookup: (id: string) => MathValue): MathValue {
  const evaluate = (n: MathNode): MathValue => {
    switch (n.kind) {
      case 'number':
        return n.value;
      case 'id':
        return lookup(n.name);
      case 'unary':
        return map([evaluate(n.operand)], length, (values) => {
          const v = values[0] as number;
          return n.op === '-' ? -v : v === 0 ? 1 : 0;
        });
      case 'binary':
        return map([evaluate(n.left), evaluate(n.right)], length, (v) =>
          binary(n.op, v[0] as number, v[1] as number),
        );
      case 'call':
        return call(n.name, n.args.map(evaluate), length);
    }
  };
  return evaluate(node);
}

function call(name: string, args: MathValue[], length: number): MathValue {
  if (name === 'IF' && (args.length === 2 || args.length === 3)) {
    const [condition, yes, no] = args as [MathValue, MathValue, MathValue | undefined];
    return map([condition, yes, no ?? 0], length, (v) => (v[0] !== 0 ? v[1] : v[2]), [1, 2]);
  }
  if (name === 'FILL' && args.length === 2) {
    const [series, value] = args as [MathValue, MathValue];
    if (typeof series === 'number') return series;
    return series.map((v, i) => v ?? (typeof value === 'number' ? value : value[i]));
  }
  if (name === 'ABS' && args.length === 1) return map(args, length, (v) => Math.abs(v[0] as number));
  throw new MathSyntaxError(
    `the local CloudWatch does not support the metric math function ${name}/${args.length}`,
  );
}

function binary(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '^':
      return a ** b;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case 'AND':
      return a !== 0 && b !== 0 ? 1 : 0;
    default:
      return a !== 0 || b !== 0 ? 1 : 0;
  }
}

/**
 * Applies `f` per period; all-scalar operands give a scalar. An operand missing at a period makes the
 * result missing, except operands listed in `lazy` (IF's branches), which only matter when chosen.
 */
function map(
  operands: MathValue[],
  length: number,
  f: (values: number[]) => number | undefined,
  lazy: number[] = [],
): MathValue {
  if (operands.every((o) => typeof o === 'number')) return f(operands as number[]) ?? Number.NaN;
  return Array.from({ length }, (_, i) => {
    const values = operands.map((o) => (typeof o === 'number' ? o : o[i]));
    if (values.some((v, j) => v === undefined && !lazy.includes(j))) return undefined;
    if (lazy.length > 0) {
      const chosen = values[0] !== 0 ? values[1] : values[2];
      return chosen;
    }
    const result = f(values as number[]);
    return result === undefined || !Number.isFinite(result) ? undefined : result;
  });
}
