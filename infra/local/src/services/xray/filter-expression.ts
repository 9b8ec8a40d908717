import type { IndexedTrace } from './trace-summary';

/**
 * The part of X-Ray's filter expression language the local X-Ray evaluates: `service("name")`,
 * `annotation.<key> = | != <string, number or boolean>`, joined with AND / OR, negated with NOT and
 * grouped with parentheses (what Tollgate's `releaseFilter` writes, and a little more). Anything else
 * is refused, naming the expression, rather than matched loosely.
 */
export type Filter =
  | { kind: 'service'; name: string }
  | { kind: 'annotation'; key: string; op: '=' | '!='; value: string | number | boolean }
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; operand: Filter };

export class FilterSyntaxError extends Error {}

type Token = { type: 'word' | 'string' | 'number' | 'symbol'; text: string; at: number };

const TOKEN = /\s*(?:("(?:[^"]*)")|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_.]*)|(!=|=|\(|\)))/y;

export function parseFilter(expression: string): Filter {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const fail = (why: string): never => {
    throw new FilterSyntaxError(`${why} at character ${peek()?.at ?? expression.length}`);
  };
  const take = (text?: string): Token => {
    const token = peek();
    if (!token || (text !== undefined && token.text.toUpperCase() !== text))
      fail(`expected ${text ?? 'more'}`);
    position += 1;
    return token as Token;
  };
  const isWord = (word: string) => peek()?.type === 'word' && peek()?.text.toUpperCase() === word;
  const parseOr = (): Filter => {
    let left = parseAnd();
    while (isWord('OR')) {
      take();
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Filter => {
    let left = parseUnary();
    while (isWord('AND')) {
      take();
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Filter => {
    if (isWord('NOT')) {
      take();
      return { kind: 'not', operand: parseUnary() };
    }
    if (peek()?.text === '(') {
      take('(');
      const inner = parseOr();
      take(')');
      return inner;
    }
    return parsePredicate();
  };
  const parsePredicate = (): Filter => {
    const word = take();
    if (word.type === 'word' && word.text.toLowerCase() === 'service') {
      take('(');
      const name = take();
      if (name.type !== 'string') fail('service() takes a quoted name');
      take(')');
      return { kind: 'service', name: unquote(name.text) };
    }
    if (word.type === 'word' && word.text.startsWith('annotation.') && word.text.length > 11) {
      const op = take();
      if (op.text !== '=' && op.text !== '!=') fail('an annotation is compared with = or !=');
      return {
        kind: 'annotation',
        key: word.text.slice(11),
        op: op.text as '=' | '!=',
        value: literal(take()),
      };
    }
    return fail(`unsupported keyword ${JSON.stringify(word.text)}`);
  };
  const literal = (token: Token): string | number | boolean => {
    if (token.type === 'string') return unquote(token.text);
    if (token.type === 'number') return Number(token.text);
    if (token.type === 'word' && /^(true|false)$/i.test(token.text))
      return token.text.toLowerCase() === 'true';
    return fail('expected a string, number or boolean');
  };
  const filter = parseOr();
  if (position < tokens.length) fail(`unexpected ${JSON.stringify(peek()?.text)}`);
  return filter;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) throw new FilterSyntaxError(`unexpected character at ${at}`);
    const [, string, number, word, symbol] = match;
    if (string !== undefined) tokens.push({ type: 'string', text: string, at });
    else if (number !== undefined) tokens.push({ type: 'number', text: number, at });
    else if (word !== undefined) tokens.push({ type: 'word', text: word, at });
    else tokens.push({ type: 'symbol', text: symbol as string, at });
  }
  return tokens;
}

function unquote(text: string): string {
  return text.slice(1, -1);
}

/** Whether a trace matches: a service by any of its node names; an annotation by any of its values. */
export function matches(filter: Filter, trace: IndexedTrace): boolean {
  switch (filter.kind) {
    case 'service':
      return trace.services.some((s) => s.Name === filter.name || s.Names.includes(filter.name));
    case 'annotation': {
      const values = trace.annotations.get(filter.key) ?? [];
      return filter.op === '='
        ? values.some((v) => v.value === filter.value)
        : values.some((v) => v.value !== filter.value);
    }
    case 'and':
      return matches(filter.left, trace) && matches(filter.right, trace);
    case 'or':
      return matches(filter.left, trace) || matches(filter.right, trace);
    case 'not':
      return !matches(filter.operand, trace);
  }
}
