import type {
  DescribeTaskDefinitionCommandInput,
  ListTaskDefinitionsCommandInput,
  RegisterTaskDefinitionCommandInput,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { AwsServiceError } from '../service';
import { type Home, nameOf, taskDefinitionArn } from './ecs-arns';

interface Stored {
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

/**
 * ECS task definitions: revisions per family (1, 2, …), the read-only fields ECS adds on registration, and
 * their tags. A family lives in one account: the one it was first registered in (provisioning names it).
 */
export class TaskDefinitionStore {
  private readonly byArn = new Map<string, Stored>();
  private readonly homes = new Map<string, Home>();

  constructor(
    private readonly clock: ScaledClock,
    private readonly defaultHome: Home,
  ) {}

  /** Registers a revision of `input.family` in `home` (its family's home once it has one). */
  register(input: RegisterTaskDefinitionCommandInput, home?: Home): Stored {
    const { tags, ...fields } = input;
    if ((tags ?? []).some((tag) => tag.key?.toLowerCase().startsWith('aws:')))
      throw new AwsServiceError('ClientException', 'Tag keys prefixed with "aws:" are reserved for AWS use.');
    const family = fields.family ?? '';
    const familyHome = this.homes.get(family) ?? home ?? this.defaultHome;
    this.homes.set(family, familyHome);
    const revision = this.revisionsOf(family).length + 1;
    const arn = taskDefinitionArn(familyHome, family, revision);
    const taskDefinition: TaskDefinition = {
      ...structuredClone(fields),
      taskDefinitionArn: arn,
      revision,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.task-iam-role' }],
      registeredAt: new Date(this.clock.now()),
      registeredBy: `arn:aws:sts::${familyHome.account}:assumed-role/local-cloud/tollgate`,
    };
    const stored = { taskDefinition, tags: structuredClone(tags ?? []) };
    this.byArn.set(arn, stored);
    return stored;
  }

  /** By ARN, `family:revision` or `family` (its latest ACTIVE revision); undefined when there is none. */
  find(reference: string): Stored | undefined {
    const exact = this.byArn.get(reference);
    if (exact) return exact;
    const short = nameOf(reference.replace(/^arn:.*:task-definition\//, 'task-definition/'));
    const [family, revision] = short.split(':');
    if (!family) return undefined;
    const revisions = this.revisionsOf(family);
    if (revision === undefined) return revisions.filter((s) => s.taskDefinition.status === 'ACTIVE').at(-1);
    return revisions.find((stored) => String(stored.taskDefinition.revision) === revision);
  }

  /** As `find`, or the error DescribeTaskDefinition answers with. */
  get(reference: string): Stored {
    const found = this.find(reference);
    if (!found) throw new AwsServiceError('ClientException', 'Unable to describe task definition.');
    return found;
  }

  /** TagResource on a task definition: adds or replaces tags by key. */
  tag(arn: string, tags: readonly Tag[]): boolean {
    const stored = this.byArn.get(arn);
    if (!stored) return false;
    const keys = new Set(tags.map((tag) => tag.key));
    stored.tags = [...stored.tags.filter((tag) => !keys.has(tag.key)), ...structuredClone([...tags])];
    return true;
  }

  describe(input: DescribeTaskDefinitionCommandInput) {
    const stored = this.get(input.taskDefinition ?? '');
    const tags = input.include?.includes('TAGS') ? { tags: structuredClone(stored.tags) } : {};
    return { taskDefinition: structuredClone(stored.taskDefinition), ...tags };
  }

  list(input: ListTaskDefinitionsCommandInput) {
    const descending = input.sort === 'DESC';
    const arns = [...this.byArn.values()]
      .map((stored) => stored.taskDefinition)
      .filter((definition) => !input.familyPrefix || definition.family?.startsWith(input.familyPrefix))
      .filter((definition) => (definition.status ?? 'ACTIVE') === (input.status ?? 'ACTIVE'))
      .sort((a, b) => compare(a, b) * (descending ? -1 : 1))
      .map((definition) => definition.taskDefinitionArn ?? '');
    const start = input.nextToken ? Number.parseInt(input.nextToken, 10) : 0;
    if (!Number.isInteger(start) || start < 0)
      throw new AwsServiceError('InvalidParameterException', 'The nextToken is not valid.');
    const size = input.maxResults ?? 100;
    const page = arns.slice(start, start + size);
    const next = start + size < arns.length ? { nextToken: String(start + size) } : {};
    return { taskDefinitionArns: page, ...next };
  }

  private revisionsOf(family: string): Stored[] {
    return [...this.byArn.values()]
      .filter((stored) => stored.taskDefinition.family === family)
      .sort((a, b) => (a.taskDefinition.revision ?? 0) - (b.taskDefinition.revision ?? 0));
  }
}

/** Family name order, then revision, as ListTaskDefinitions sorts. */
function compare(a: TaskDefinition, b: TaskDefinition): number {
  const byFamily = (a.family ?? '').localeCompare(b.family ?? '');
  return byFamily !== 0 ? byFamily : (a.revision ?? 0) - (b.revision ?? 0);
}
