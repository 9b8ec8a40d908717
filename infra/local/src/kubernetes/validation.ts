import { isObject, type Json, type JsonObject } from './merge-patches';
import type { ResourceType } from './resources';

/**
 * What kube-apiserver's validation refuses among the fields of the objects served here, as `field: reason`
 * lines (the causes of a 422 Invalid). `before` is the stored object on an update, for immutable fields.
 */
export function validationProblems(
  resource: ResourceType,
  object: JsonObject,
  before?: JsonObject,
): string[] {
  const problems = metadataProblems(object);
  if (resource.kind === 'Deployment') problems.push(...deploymentProblems(object, before));
  return problems;
}

function metadataProblems(object: JsonObject): string[] {
  const metadata = object.metadata;
  if (!isObject(metadata)) return ['metadata: Required value'];
  const problems: string[] = [];
  for (const field of ['annotations', 'labels'] as const) {
    const map = metadata[field];
    if (map === undefined) continue;
    if (!isObject(map) || Object.values(map).some((value) => typeof value !== 'string')) {
      problems.push(`metadata.${field}: Invalid value: values must be strings`);
    }
  }
  return problems;
}

function deploymentProblems(object: JsonObject, before?: JsonObject): string[] {
  const spec = isObject(object.spec) ? object.spec : {};
  const problems: string[] = [];
  const replicas = spec.replicas ?? 1;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    problems.push(
      `spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    );
  }
  const template = isObject(spec.template) ? spec.template : {};
  const podSpec = isObject(template.spec) ? template.spec : {};
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  if (containers.length === 0) problems.push('spec.template.spec.containers: Required value');
  containers.forEach((container: Json, index) => {
    const image = isObject(container) ? container.image : undefined;
    if (typeof image !== 'string' || image.trim() === '') {
      problems.push(`spec.template.spec.containers[${index}].image: Required value`);
    }
  });
  const selector = isObject(spec.selector) ? spec.selector.matchLabels : undefined;
  const labels = isObject(template.metadata) ? template.metadata.labels : undefined;
  if (!isObject(selector)) problems.push('spec.selector: Required value');
  else if (!isObject(labels) || Object.entries(selector).some(([key, value]) => labels[key] !== value)) {
    problems.push(
      'spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`',
    );
  }
  const beforeSpec = before && isObject(before.spec) ? before.spec : undefined;
  if (beforeSpec && JSON.stringify(beforeSpec.selector) !== JSON.stringify(spec.selector)) {
    problems.push('spec.selector: Invalid value: field is immutable');
  }
  return problems;
}
