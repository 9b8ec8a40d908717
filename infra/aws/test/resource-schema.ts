import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';

/**
 * CloudFormation's published resource schemas, as CDK imports them (@aws-cdk/aws-service-spec: the registry
 * schemas of us-east-1, us-east-2 and us-west-2, the source aws-cdk-lib's L1s are generated from), and a check
 * of a template's resources against them: every property a resource sets, at every depth, must be one its type
 * declares.
 */
const db = loadAwsServiceSpecSync();

type SpecType = ReturnType<typeof specProperties>[string]['type'];

function resourceSpec(type: string) {
  return db.lookup('resource', 'cloudFormationType', 'equals', type).only();
}

function specProperties(type: string) {
  return resourceSpec(type).properties;
}

/** Types that are not this project's to check: CloudFormation's own and custom resources. */
const UNCHECKED = (type: string) => type.startsWith('Custom::') || type === 'AWS::CDK::Metadata';

const isIntrinsic = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  /^(Ref|Fn::\w+|Condition)$/.test(Object.keys(value)[0] as string);

/** Every property path under `value` that `type` does not declare. */
function undeclared(value: unknown, type: SpecType, path: string): string[] {
  if (value === null || value === undefined || isIntrinsic(value)) return [];
  switch (type.type) {
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((v, i) => undeclared(v, type.element, `${path}[${i}]`))
        : [];
    case 'map':
      return typeof value === 'object'
        ? Object.entries(value as object).flatMap(([k, v]) => undeclared(v, type.element, `${path}.${k}`))
        : [];
    case 'union':
      // Declared if any member accepts it.
      return type.types
        .map((t) => undeclared(value, t, path))
        .reduce((a, b) => (a.length <= b.length ? a : b));
    case 'ref': {
      const definition = db.get('typeDefinition', type.reference.$ref);
      return objectUndeclared(value, definition.properties, path);
    }
    default:
      return [];
  }
}

function objectUndeclared(
  value: unknown,
  properties: Record<string, { type: SpecType }>,
  path: string,
): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const declared = properties[key];
    if (!declared) return [`${path}.${key}`];
    return undeclared(v, declared.type, `${path}.${key}`);
  });
}

export interface TemplateLike {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** `<logicalId> (<Type>): <path> is not in the schema` for every property no schema declares. */
export function schemaViolations(template: TemplateLike): string[] {
  return Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    if (UNCHECKED(resource.Type)) return [];
    const found = db.lookup('resource', 'cloudFormationType', 'equals', resource.Type);
    if (found.length !== 1) return [`${logicalId} (${resource.Type}): no published schema for this type`];
    return objectUndeclared(resource.Properties ?? {}, specProperties(resource.Type), 'Properties').map(
      (p) => `${logicalId} (${resource.Type}): ${p} is not in the schema`,
    );
  });
}

/** The property names of `type` whose change replaces the resource (create-only in the schema). */
export function replacingProperties(type: string): Set<string> {
  return new Set(
    Object.entries(specProperties(type))
      .filter(([, p]) => (p as { causesReplacement?: string }).causesReplacement === 'yes')
      .map(([name]) => name),
  );
}
