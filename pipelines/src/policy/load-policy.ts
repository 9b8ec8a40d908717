import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { locateIssues, type Path, position } from './issue-locations';
import { PolicyError, type PolicyIssue } from './policy-error';
import { type Policy, policySchema } from './schema';

/** Reads and validates a policy file; throws PolicyError naming the file, line, column and field. */
export async function loadPolicyFile(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new PolicyError([{ file, line: 1, column: 1, field: '', message: reason }]);
  }
  return parsePolicy(text, file);
}

/** Validates policy text; `file` is only used to name where problems are. */
export function parsePolicy(text: string, file: string): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => position(lineCounter, offset);

  if (doc.errors.length > 0) {
    throw new PolicyError(
      doc.errors.map((e) => ({ file, ...at(e.pos[0]), field: '', message: yamlMessage(e) })),
    );
  }
  const input: unknown = doc.toJS();
  if (input === null || input === undefined) {
    throw new PolicyError([{ file, line: 1, column: 1, field: '', message: 'the policy is empty' }]);
  }
  const result = policySchema.safeParse(input);
  if (result.success) return result.data;

  const issues: PolicyIssue[] = locateIssues(result.error.issues, doc, input).map((issue) => ({
    file,
    ...at(issue.offset),
    field: dotted(issue.path),
    message: issue.message,
  }));
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  throw new PolicyError(issues);
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
