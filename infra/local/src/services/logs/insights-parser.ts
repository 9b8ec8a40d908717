/**
 * The part of the Logs Insights query language the local Logs evaluates: commands `filter`, `fields`,
 * `sort` and `limit` joined by `|`; in expressions, field names (dotted, or `@`-prefixed, or in
 * backticks), string and number literals, = != < <= > >=, and / or / not, parentheses and `ispresent()`.
 */
export type Expr =
  | { kind: 'field'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'compare'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; left: Expr; right: Expr }
  | { kind: 'logical'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'ispresent'; field: string };

export type Command =
  | { kind: 'filter'; expr: Expr }
  | { kind: 'fields'; names: string[] }
  | { kind: 'sort'; field: string; descending: boolean }
  | { kind: 'limit'; count: number };

export class QuerySyntaxError extends Error {}

type Token = { type: 'word' | 'string' | 'number' | 'symbol'; text: string };

const TOKEN =
  /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`]+)`|(-?\d+(?:\.\d+)?)|(@?[A-Za-z_][A-Za-z0-9_.@-]*)|(!=|<=|>=|=|<|>|\(|\)|,|\|))/y;

export function parseQuery(query: string): Command[] {
  const tokens = tokenize(query);
  let position = 0;
  const peek = () => tokens[position];
  const fail = (why: string): never => {
    throw new QuerySyntaxError(why);
  };
  const next = (): Token => tokens[position++] ?? fail('the query ends too early');
  const expectSymbol = (text: string) => {
    const token = next();
    if (token.type !== 'symbol' || token.text !== text)
      fail(`expected ${text}, found ${JSON.stringify(token.text)}`);
  };
  const isWord = (word: string) => peek()?.type === 'word' && peek()?.text.toLowerCase() === word;
  const fieldName = (): string => {
    const token = next();
    if (token.type !== 'word') fail(`expected a field name, found ${JSON.stringify(token.text)}`);
    return token.text;
  };
  const or = (): Expr => {
    let left = and();
    while (isWord('or')) {
      position += 1;
      left = { kind: 'logical', op: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Expr => {
    let left = not();
    while (isWord('and')) {
      position += 1;
      left = { kind: 'logical', op: 'and', left, right: not() };
    }
    return left;
  };
  const not = (): Expr => {
    if (!isWord('not')) return compare();
    position += 1;
    return { kind: 'not', operand: not() };
  };
  const compare = (): Expr => {
    const left = operand();
    const token = peek();
    if (token?.type === 'symbol' && ['=', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      position += 1;
      return { kind: 'compare', op: token.text as '=', left, right: operand() };
    }
    return left;
  };
  const operand = (): Expr => {
    const token = next();
    if (token.type === 'string') return { kind: 'string', value: token.text };
    if (token.type === 'number') return { kind: 'number', value: Number(token.text) };
    if (token.type === 'symbol' && token.text === '(') {
      const inner = or();
      expectSymbol(')');
      return inner;
    }
    if (token.type !== 'word') return fail(`unexpected ${JSON.stringify(token.text)}`);
    if (peek()?.text !== '(') return { kind: 'field', name: token.text };
    if (token.text.toLowerCase() !== 'ispresent') return fail(`unsupported function ${token.text}()`);
    expectSymbol('(');
    const field = fieldName();
    expectSymbol(')');
    return { kind: 'ispresent', field };
  };
  const command = (): Command => {
    const name = next();
    const keyword = name.type === 'word' ? name.text.toLowerCase() : '';
    if (keyword === 'filter') return { kind: 'filter', expr: or() };
    if (keyword === 'fields') {
      const names = [fieldName()];
      while (peek()?.text === ',') {
        position += 1;
        names.push(fieldName());
      }
      return { kind: 'fields', names };
    }
    if (keyword === 'sort') {
      const field = fieldName();
      const direction = isWord('asc') || isWord('desc') ? next().text.toLowerCase() : 'desc';
      return { kind: 'sort', field, descending: direction === 'desc' };
    }
    if (keyword === 'limit') {
      const count = next();
      if (count.type !== 'number' || !Number.isInteger(Number(count.text)))
        fail('limit takes a whole number');
      return { kind: 'limit', count: Number(count.text) };
    }
    return fail(`unsupported command ${JSON.stringify(name.text)}`);
  };
  const commands = [command()];
  while (position < tokens.length) {
    expectSymbol('|');
    commands.push(command());
  }
  return commands;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (!/^\s*$/.test(query.slice(TOKEN.lastIndex))) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(query);
    if (!match) throw new QuerySyntaxError(`unexpected character at position ${at}`);
    const [, double, single, backtick, number, word, symbol] = match;
    if (double !== undefined || single !== undefined) {
      tokens.push({ type: 'string', text: (double ?? single ?? '').replace(/\\(.)/g, '$1') });
    } else if (backtick !== undefined) tokens.push({ type: 'word', text: backtick });
    else if (number !== undefined) tokens.push({ type: 'number', text: number });
    else if (word !== undefined) tokens.push({ type: 'word', text: word });
    else tokens.push({ type: 'symbol', text: symbol as string });
  }
  return tokens;
}
