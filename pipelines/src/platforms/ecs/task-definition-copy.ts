import type {
  ContainerDefinition,
  RegisterTaskDefinitionCommandInput,
  Tag,
  TaskDefinition,
} from '@aws-sdk/client-ecs';

/** The tag that names the release a task-definition revision was registered for (how prepare finds it again). */
export const RELEASE_TAG = 'tollgate:release';
/** Where the workload's containers read their release version from (their traces carry it). */
export const RELEASE_ENV = 'RELEASE_VERSION';

/** What DescribeTaskDefinition returns with `include: ['TAGS']`. */
export interface DescribedTaskDefinition {
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

/** Fields DescribeTaskDefinition reports that ECS sets itself and RegisterTaskDefinition does not take. */
const READ_ONLY = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;
const READ_ONLY_FIELDS: ReadonlySet<string> = new Set(READ_ONLY);

/**
 * Everything else DescribeTaskDefinition reports is copied. `Pick` fails to compile if an SDK update adds a
 * field to TaskDefinition that RegisterTaskDefinition does not take, so a new field is sorted into one list
 * or the other instead of being sent (rejected) or dropped (silently lost) by accident.
 */
type Registrable = Pick<
  RegisterTaskDefinitionCommandInput,
  Exclude<keyof TaskDefinition, (typeof READ_ONLY)[number]>
>;

/**
 * The registration of a new revision that is the described one with only `container`'s image changed and
 * RELEASE_VERSION set on it; every other field and tag is kept, and the release tag is added.
 */
export function registrationFor(
  described: DescribedTaskDefinition,
  change: { container: string; image: string; version: string },
): RegisterTaskDefinitionCommandInput {
  const fields = Object.fromEntries(
    Object.entries(described.taskDefinition).filter(([key]) => !READ_ONLY_FIELDS.has(key)),
  ) as Registrable;
  const containers = fields.containerDefinitions ?? [];
  if (!containers.some((container) => container.name === change.container)) {
    const names = containers.map((container) => container.name).join(', ');
    throw new Error(
      `task definition ${described.taskDefinition.taskDefinitionArn} has no container "${change.container}" (it has ${names}); fix containerName in the release manifest`,
    );
  }
  return {
    ...fields,
    family: described.taskDefinition.family,
    containerDefinitions: containers.map((container) =>
      container.name === change.container ? released(container, change.image, change.version) : container,
    ),
    tags: releaseTags(described.tags, change.version),
  };
}

function released(container: ContainerDefinition, image: string, version: string): ContainerDefinition {
  const environment = (container.environment ?? []).filter((variable) => variable.name !== RELEASE_ENV);
  return { ...container, image, environment: [...environment, { name: RELEASE_ENV, value: version }] };
}

/** Tags under `aws:` are AWS's own (CloudFormation's); ECS refuses them on RegisterTaskDefinition. */
function releaseTags(tags: readonly Tag[], version: string): Tag[] {
  const kept = tags.filter((tag) => tag.key !== RELEASE_TAG && !tag.key?.startsWith('aws:'));
  return [...kept, { key: RELEASE_TAG, value: version }];
}

/** The release a revision serves: its container's RELEASE_VERSION, else its release tag. */
export function releaseOf(described: DescribedTaskDefinition, container: string): string | undefined {
  const definition = described.taskDefinition.containerDefinitions?.find((c) => c.name === container);
  const variable = definition?.environment?.find((entry) => entry.name === RELEASE_ENV);
  return variable?.value ?? described.tags.find((tag) => tag.key === RELEASE_TAG)?.value;
}

export function imageOf(described: DescribedTaskDefinition, container: string): string | undefined {
  return described.taskDefinition.containerDefinitions?.find((c) => c.name === container)?.image;
}
