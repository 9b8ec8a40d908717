import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';
import type { z } from 'zod';

export type Path = readonly PropertyKey[];

interface Located {
  path: Path;
  message: string;
  offset: number;
}

/** Turns zod's issues into messages at the YAML node they are about. */
export function locateIssues(issues: readonly z.core.$ZodIssue[], doc: Document, input: unknown): Located[] {
  return issues.flatMap((issue) => flatten(issue, [], input)).map((flat) => locate(flat, doc));
}

/** Places problems found after parsing (against the manifest) at the YAML node of their path. */
export function locatePaths(problems: readonly { path: Path; message: string }[], doc: Document): Located[] {
  return problems.map((problem) => locate(problem, doc));
}

interface FlatIssue {
  path: Path;
  message: string;
  /** For unknown keys: the key to point at rather than its parent. */
  key?: string;
}

function flatten(issue: z.core.$ZodIssue, prefix: Path, input: unknown): FlatIssue[] {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path,
        key,
        message: `unknown field "${key}"${allowedKeysHint(path)}`,
      }));
    case 'invalid_union':
      return flattenUnion(issue, path, input);
    case 'invalid_type':
      return [{ path, message: typeMessage(issue, valueAt(input, path)) }];
    case 'invalid_value':
      return [{ path, message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    default:
      return [{ path, message: issue.message }];
  }
}

/** Picks the union branch that matches the input's shape, so "steps[1].weight" beats "Invalid input". */
function flattenUnion(issue: z.core.$ZodIssueInvalidUnion, path: Path, input: unknown): FlatIssue[] {
  const branches = issue.errors.filter((branch) => !branch.every((inner) => isRootTypeMismatch(inner)));
  const chosen = branches[0];
  if (chosen) return chosen.flatMap((inner) => flatten(inner, path, input));
  if (valueAt(input, path) === undefined) return [{ path, message: 'required' }];
  return [
    {
      path,
      message:
        'expected all-at-once, a CodeDeploy configuration name, or { canary | linear | steps | allAtOnce }',
    },
  ];
}

function isRootTypeMismatch(issue: z.core.$ZodIssue): boolean {
  return issue.path.length === 0 && issue.code === 'invalid_type';
}

function typeMessage(issue: z.core.$ZodIssueInvalidType, value: unknown): string {
  if (value === undefined) return 'required';
  const custom = issue.message.startsWith('Invalid input') ? `expected ${issue.expected}` : issue.message;
  return `${custom}, got ${describe(value)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const ALLOWED_KEYS: Record<string, string> = {
  '': 'workload, platform, versionFormat, environments',
  environment: 'strategy, traffic, gates',
  gates:
    'alarms, alarmInsufficientData, latency, errors, minSamples, expectedRequestsPerSecond, pollInterval, maxBake, onInconclusive, maxConsecutiveErrors',
  latency: 'p50Increase, p99Increase',
  errors: 'maxRateIncrease',
  strategy: 'canary, linear, steps, allAtOnce',
  allAtOnce: 'bake',
  canary: 'weight, bake',
  linear: 'weight, bake',
  step: 'weight, bake',
};

function allowedKeysHint(path: Path): string {
  const kind = kindOfObject(path);
  const allowed = kind === undefined ? undefined : ALLOWED_KEYS[kind];
  return allowed ? `; allowed here: ${allowed}` : '';
}

function kindOfObject(path: Path): string | undefined {
  if (path.length === 0) return '';
  if (path.length === 2 && path[0] === 'environments') return 'environment';
  const last = path.at(-1);
  if (typeof last === 'number' && path.at(-2) === 'steps') return 'step';
  return typeof last === 'string' ? last : undefined;
}

function valueAt(input: unknown, path: Path): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Finds the deepest YAML node that exists along the path; a missing field points at its parent. */
function locate(flat: FlatIssue, doc: Document): Located {
  let node: Node | null = doc.contents;
  for (const segment of flat.path) {
    const child = childOf(node, segment);
    if (!child) return { path: flat.path, message: flat.message, offset: offsetOf(node) };
    node = child.value;
    if (!node) return { path: flat.path, message: flat.message, offset: offsetOf(child.key) };
  }
  if (flat.key !== undefined) {
    const pair = childOf(node, flat.key);
    if (pair) return { path: [...flat.path, flat.key], message: flat.message, offset: offsetOf(pair.key) };
  }
  return { path: flat.path, message: flat.message, offset: offsetOf(node) };
}

function childOf(
  node: Node | null,
  segment: PropertyKey,
): { key: Node | null; value: Node | null } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (item: Pair) => isScalar(item.key) && String(item.key.value) === String(segment),
    );
    return pair ? { key: pair.key as Node, value: pair.value as Node | null } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item ? { key: item as Node, value: item as Node } : undefined;
  }
  if (isPair(node)) return undefined;
  return undefined;
}

function offsetOf(node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : 0;
}

export function position(lineCounter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
