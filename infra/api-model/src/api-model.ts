import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * A service's API model as the official SDK package publishes it: every `<Operation>CommandInput` and
 * `<Operation>CommandOutput` interface of `@aws-sdk/client-*`, generated from AWS's Smithy models. It
 * knows each member's type, which members are required, and every enum's values; it does not know
 * length, range or pattern constraints, which no package on the npm registry publishes for these
 * services today (see docs/platforms.md, "Request validation").
 */
export interface ApiModel {
  /** What AWS would reject in `input` of `operation`, one line per problem; empty when it is valid. */
  inputProblems(operation: string, input: unknown): string[];
  /** The same for a response, so the mocks answer only in shapes the service can return. */
  outputProblems(operation: string, output: unknown): string[];
}

const models = new Map<string, ApiModel>();
const require = createRequire(import.meta.url);

/** The model of one SDK package, e.g. `@aws-sdk/client-lambda`; built once per test worker. */
export function apiModel(sdkPackage: string): ApiModel {
  let model = models.get(sdkPackage);
  if (!model) {
    model = loadModel(sdkPackage);
    models.set(sdkPackage, model);
  }
  return model;
}

function loadModel(sdkPackage: string): ApiModel {
  const root = dirname(require.resolve(`${sdkPackage}/package.json`));
  const entry = join(root, 'dist-types', 'index.d.ts');
  const program = ts.createProgram([entry], { noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`cannot read the types of ${sdkPackage}`);
  const exported = new Map(checker.getExportsOfModule(moduleSymbol).map((symbol) => [symbol.name, symbol]));
  const shapeOf = (name: string): ts.Type => {
    const symbol = exported.get(name);
    if (!symbol) throw new Error(`${sdkPackage} has no ${name}: is the operation name right?`);
    return checker.getDeclaredTypeOfSymbol(symbol);
  };
  const validate = (suffix: string, skip: ReadonlySet<string>) => (operation: string, value: unknown) => {
    const problems: string[] = [];
    checkValue(checker, shapeOf(`${operation}Command${suffix}`), value, operation, problems, skip);
    return problems;
  };
  // Every response carries $metadata from the SDK itself; it is not part of the service's model.
  return {
    inputProblems: validate('Input', new Set()),
    outputProblems: validate('Output', new Set(['$metadata'])),
  };
}

function checkValue(
  checker: ts.TypeChecker,
  type: ts.Type,
  value: unknown,
  path: string,
  problems: string[],
  skip: ReadonlySet<string> = new Set(),
): void {
  const defined = withoutUndefined(type);
  if (defined.length === 0) return;
  const literals = defined.filter((t) => t.isStringLiteral()).map((t) => (t as ts.StringLiteralType).value);
  if (literals.length > 0 && literals.length === defined.length) {
    if (typeof value !== 'string' || !literals.includes(value)) {
      problems.push(`${path}: ${JSON.stringify(value)} is not one of ${literals.join(', ')}`);
    }
    return;
  }
  if (defined.length > 1) checkUnion(checker, defined, value, path, problems);
  else checkSingle(checker, defined[0] as ts.Type, value, path, problems, skip);
}

function checkSingle(
  checker: ts.TypeChecker,
  type: ts.Type,
  value: unknown,
  path: string,
  problems: string[],
  skip: ReadonlySet<string>,
): void {
  const scalar = scalarCheck(type);
  if (scalar) {
    if (!scalar.accepts(value)) problems.push(`${path}: expected ${scalar.what}, got ${describe(value)}`);
  } else if (checker.isArrayType(type)) {
    checkList(checker, type, value, path, problems);
  } else {
    checkStructure(checker, type, value, path, problems, skip);
  }
}

interface ScalarCheck {
  what: string;
  accepts(value: unknown): boolean;
}

const anything: ScalarCheck = { what: 'anything', accepts: () => true };

/** How a member of a scalar type is checked; undefined for lists and structures. */
function scalarCheck(type: ts.Type): ScalarCheck | undefined {
  const flags = type.getFlags();
  if (flags & ts.TypeFlags.Any || flags & ts.TypeFlags.Unknown) return anything;
  if (flags & ts.TypeFlags.StringLike) return { what: 'a string', accepts: (v) => typeof v === 'string' };
  if (flags & ts.TypeFlags.NumberLike) {
    return { what: 'a number', accepts: (v) => typeof v === 'number' && Number.isFinite(v) };
  }
  if (flags & ts.TypeFlags.BooleanLike) return { what: 'a boolean', accepts: (v) => typeof v === 'boolean' };
  const name = type.getSymbol()?.getName();
  if (name === 'Date') return { what: 'a timestamp (Date)', accepts: (v) => v instanceof Date };
  // Payload blobs are typed as the SDK's Uint8ArrayBlobAdapter, a Uint8Array with string helpers.
  if (name === 'Uint8Array' || name === 'Uint8ArrayBlobAdapter') {
    return { what: 'bytes (Uint8Array)', accepts: (v) => v instanceof Uint8Array };
  }
  if (name === '__DocumentType' || name === 'DocumentType') return anything;
  return undefined;
}

function checkList(
  checker: ts.TypeChecker,
  type: ts.Type,
  value: unknown,
  path: string,
  problems: string[],
): void {
  if (!Array.isArray(value)) {
    problems.push(`${path}: expected a list, got ${describe(value)}`);
    return;
  }
  const [element] = checker.getTypeArguments(type as ts.TypeReference);
  if (!element) return;
  for (const [index, item] of value.entries())
    checkValue(checker, element, item, `${path}[${index}]`, problems);
}

function checkStructure(
  checker: ts.TypeChecker,
  type: ts.Type,
  value: unknown,
  path: string,
  problems: string[],
  skip: ReadonlySet<string>,
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: expected a structure, got ${describe(value)}`);
    return;
  }
  const record = value as Record<string, unknown>;
  const mapValue = type.getStringIndexType();
  if (mapValue) {
    for (const [key, item] of Object.entries(record))
      checkValue(checker, mapValue, item, `${path}.${key}`, problems);
    return;
  }
  const members = new Map(checker.getPropertiesOfType(type).map((symbol) => [symbol.name, symbol]));
  for (const [key, item] of Object.entries(record)) {
    if (skip.has(key) || item === undefined) continue;
    const member = members.get(key);
    if (!member) {
      problems.push(`${path}: no member "${key}" (members: ${[...members.keys()].join(', ')})`);
      continue;
    }
    checkValue(checker, checker.getTypeOfSymbol(member), item, `${path}.${key}`, problems);
  }
  for (const [key, member] of members) {
    const optional = (member.getFlags() & ts.SymbolFlags.Optional) !== 0;
    if (!optional && !skip.has(key) && record[key] === undefined && key !== '$unknown')
      problems.push(`${path}: required member "${key}" is missing`);
  }
}

/** A Smithy union, or an enum whose SDK type also admits any string: the value must fit one branch. */
function checkUnion(
  checker: ts.TypeChecker,
  types: ts.Type[],
  value: unknown,
  path: string,
  problems: string[],
): void {
  const attempts = types.map((type) => {
    const found: string[] = [];
    checkSingle(checker, type, value, path, found, new Set());
    return found;
  });
  if (attempts.some((found) => found.length === 0)) return;
  problems.push(...(attempts.sort((a, b) => a.length - b.length)[0] ?? []));
}

function withoutUndefined(type: ts.Type): ts.Type[] {
  const parts = type.isUnion() ? type.types : [type];
  return parts.filter((part) => !(part.getFlags() & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a Date';
  return typeof value === 'object' ? 'a structure' : `${typeof value} ${JSON.stringify(value)}`;
}
