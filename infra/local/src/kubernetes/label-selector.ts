import { KubernetesError } from './status-error';

type Requirement = (labels: Record<string, string>) => boolean;

/**
 * A `labelSelector` query of the equality-based and set-based forms kubectl sends (`app=x,track!=canary`,
 * `tier in (a,b)`, `!legacy`, `env`), as a predicate over an object's labels.
 */
export function parseLabelSelector(selector: string | null): (labels: Record<string, string>) => boolean {
  if (!selector) return () => true;
  const requirements = splitRequirements(selector).map(requirementOf);
  return (labels) => requirements.every((matches) => matches(labels));
}

/** The matchLabels of a Service or Deployment selector against a pod's labels. */
export function matchesLabels(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of selector) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += character;
  }
  parts.push(current.trim());
  return parts.filter(Boolean);
}

function requirementOf(text: string): Requirement {
  const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set) {
    const [, key = '', operator, list = ''] = set;
    const values = new Set(list.split(',').map((value) => value.trim()));
    return operator === 'in'
      ? (labels) => labels[key] !== undefined && values.has(labels[key] as string)
      : (labels) => labels[key] === undefined || !values.has(labels[key] as string);
  }
  const equality = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(text);
  if (equality) {
    const [, key = '', operator, value] = equality;
    return operator === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
  }
  const exists = /^(!?)([\w./-]+)$/.exec(text);
  if (exists) {
    const [, not, key = ''] = exists;
    return not ? (labels) => labels[key] === undefined : (labels) => labels[key] !== undefined;
  }
  throw new KubernetesError(400, 'BadRequest', `unable to parse requirement: ${text}`);
}
