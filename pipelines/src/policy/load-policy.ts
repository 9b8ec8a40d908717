import { readFile, stat } from 'node:fs/promises';
import { type Document, isAlias, LineCounter, parseDocument, visit } from 'yaml';
import { errorText } from '../errors/error-text';
import { InputError } from '../errors/input-error';
import type { ReleaseManifest } from '../targets/manifest';
import { locateIssues, locatePaths, type Path, position } from './issue-locations';
import { PolicyError, type PolicyIssue } from './policy-error';
import { type Policy, policySchema } from './schema';
import { bindToManifest, type PolicyEnvironment } from './target-checks';

/** Policies are a page of YAML; anything this large is a mistake or an attack, not a policy. */
const MAX_POLICY_BYTES = 64 * 1024;
/** Aliases are legal YAML but a policy needs few; many is the "billion laughs" expansion. */
const MAX_ALIASES = 50;

/** Where a workload's committed policy lives: `<POLICIES_DIR>/<workload>.yml`, from the repository root. */
export const POLICIES_DIR = 'pipelines/policies';

export function defaultPolicyFile(workload: string): string {
  return `${POLICIES_DIR}/${workload}.yml`;
}

/** A policy checked against the release manifest, with each environment bound to its target. */
export interface LoadedPolicy {
  file: string;
  policy: Policy;
  environments: Record<string, PolicyEnvironment>;
}

/** Reads, validates and binds a policy file; throws PolicyError naming the file, line, column and field. */
export async function loadPolicyFile(file: string, manifest: ReleaseManifest): Promise<LoadedPolicy> {
  return parsePolicy(await readPolicyText(file), file, manifest);
}

async function readPolicyText(file: string): Promise<string> {
  const atStart = (message: string) => [{ line: 1, column: 1, field: '', message }];
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : errorText(error);
    return failPolicy(file, atStart(why));
  }
  if (size > MAX_POLICY_BYTES) {
    failPolicy(file, atStart(`the file is ${size} bytes; a policy may be at most ${MAX_POLICY_BYTES}`));
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    return failPolicy(file, atStart(errorText(error)));
  }
}

function failPolicy(file: string, issues: readonly Omit<PolicyIssue, 'file'>[]): never {
  throw new PolicyError(issues.map((issue) => ({ file, ...issue })).sort(byPosition));
}

/** Validates policy text against the schema and the manifest; `file` only names where problems are. */
export function parsePolicy(text: string, file: string, manifest: ReleaseManifest): LoadedPolicy {
  const lineCounter = new LineCounter();
  const at = (offset: number) => position(lineCounter, offset);
  if (text.length > MAX_POLICY_BYTES) {
    failPolicy(file, [
      { line: 1, column: 1, field: '', message: `a policy may be at most ${MAX_POLICY_BYTES} bytes` },
    ]);
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    failPolicy(
      file,
      yamlProblems.map((e) => ({ ...at(e.pos[0]), field: '', message: yamlMessage(e) })),
    );
  }
  const input = toPlainData(doc, (offset, message) =>
    failPolicy(file, [{ ...at(offset), field: '', message }]),
  );
  if (input === null || input === undefined) {
    failPolicy(file, [{ line: 1, column: 1, field: '', message: 'the policy is empty' }]);
  }
  const result = policySchema.safeParse(input);
  if (!result.success) {
    return failPolicy(
      file,
      locateIssues(result.error.issues, doc, input).map((issue) => located(issue, at)),
    );
  }
  const bound = bindToManifest(result.data, manifest);
  if (bound.problems.length > 0) {
    failPolicy(
      file,
      locatePaths(bound.problems, doc).map((issue) => located(issue, at)),
    );
  }
  return { file, policy: result.data, environments: bound.environments };
}

/** The environment a release asks for, or bad input naming the ones the policy has. */
export function environmentOf(loaded: LoadedPolicy, name: string): PolicyEnvironment {
  const environment = loaded.environments[name];
  if (environment) return environment;
  const known = Object.keys(loaded.environments).join(', ');
  throw new InputError(`unknown environment "${name}" in ${loaded.file}; known: ${known}`);
}

/** The document as plain data, or a located error for an alias that is unknown or expands too much. */
function toPlainData(doc: Document, fail: (offset: number, message: string) => never): unknown {
  let unknownAlias: { offset: number; name: string } | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!isAlias(node) || node.resolve(doc) || unknownAlias) return;
      unknownAlias = { offset: node.range?.[0] ?? 0, name: node.source };
    },
  });
  if (unknownAlias) {
    fail(
      unknownAlias.offset,
      `unknown alias *${unknownAlias.name}: its anchor &${unknownAlias.name} must come first`,
    );
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    // yaml refuses aliases that expand past maxAliasCount: the "billion laughs" attack.
    return fail(0, `YAML aliases expand too far (${errorText(error)}); a policy needs few aliases`);
  }
}

function located(
  issue: { path: Path; message: string; offset: number },
  at: (offset: number) => { line: number; column: number },
): Omit<PolicyIssue, 'file'> {
  return { ...at(issue.offset), field: dotted(issue.path), message: issue.message };
}

function byPosition(a: PolicyIssue, b: PolicyIssue): number {
  return a.line - b.line || a.column - b.column;
}

function yamlMessage(error: { code: string; message: string }): string {
  if (error.code === 'DUPLICATE_KEY')
    return 'duplicate key: each key (and each environment) may appear only once';
  const firstLine = error.message.split('\n')[0] ?? error.message;
  return `YAML syntax error: ${firstLine.replace(/ at line \d+, column \d+:?$/, '')}`;
}

function dotted(path: Path): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index ? '.' : ''}${String(segment)}`,
    )
    .join('');
}
