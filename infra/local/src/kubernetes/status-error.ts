/**
 * An error the API server answers with: a `Status` object (kind Status, apiVersion v1) carrying the HTTP
 * code, the machine-readable reason and a message worded as kube-apiserver words it.
 */
export class KubernetesError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string },
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'KubernetesError';
  }

  body(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** The `<resource>.<group>` name kube-apiserver puts in messages (`deployments.apps`, `namespaces`). */
export interface ResourceName {
  plural: string;
  group: string;
  kind: string;
}

function qualified(resource: ResourceName): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

export function notFound(resource: ResourceName, name: string): KubernetesError {
  return new KubernetesError(404, 'NotFound', `${qualified(resource)} "${name}" not found`, {
    name,
    group: resource.group,
    kind: resource.plural,
  });
}

export function conflict(resource: ResourceName, name: string): KubernetesError {
  return new KubernetesError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: resource.group, kind: resource.plural },
  );
}

export function alreadyExists(resource: ResourceName, name: string): KubernetesError {
  return new KubernetesError(409, 'AlreadyExists', `${qualified(resource)} "${name}" already exists`, {
    name,
    group: resource.group,
    kind: resource.plural,
  });
}

/** 422: the object as patched fails validation; `causes` are `field: Invalid value: …` lines. */
export function invalid(resource: ResourceName, name: string, causes: readonly string[]): KubernetesError {
  return new KubernetesError(422, 'Invalid', `${resource.kind} "${name}" is invalid: ${causes.join(', ')}`, {
    name,
    group: resource.group,
    kind: resource.kind,
  });
}

export function unauthorized(): KubernetesError {
  return new KubernetesError(401, 'Unauthorized', 'Unauthorized');
}

export function badRequest(message: string): KubernetesError {
  return new KubernetesError(400, 'BadRequest', message);
}

export function routeNotFound(): KubernetesError {
  return new KubernetesError(404, 'NotFound', 'the server could not find the requested resource');
}
