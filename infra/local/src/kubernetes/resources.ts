import type { ResourceName } from './status-error';

/** A kind the API server serves, and where: `/api/v1/...` for the core group, `/apis/<group>/v1/...` otherwise. */
export interface ResourceType extends ResourceName {
  apiVersion: string;
  namespaced: boolean;
  /** Whether a change of `spec` counts as a new generation (metadata.generation), as for workloads and Ingresses. */
  generational: boolean;
  /** The verbs served on this resource (RBAC's names). */
  verbs: readonly ('get' | 'list' | 'patch')[];
}

export const RESOURCES: readonly ResourceType[] = [
  {
    plural: 'namespaces',
    group: '',
    kind: 'Namespace',
    apiVersion: 'v1',
    namespaced: false,
    generational: false,
    verbs: ['get', 'list'],
  },
  {
    plural: 'services',
    group: '',
    kind: 'Service',
    apiVersion: 'v1',
    namespaced: true,
    generational: false,
    verbs: ['get', 'list', 'patch'],
  },
  {
    plural: 'deployments',
    group: 'apps',
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    namespaced: true,
    generational: true,
    verbs: ['get', 'list', 'patch'],
  },
  {
    plural: 'ingresses',
    group: 'networking.k8s.io',
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    namespaced: true,
    generational: true,
    verbs: ['get', 'list', 'patch'],
  },
];

export function resourceOfKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCES.find((resource) => resource.kind === kind && resource.apiVersion === apiVersion);
}

/** The request path of an object or collection, as parsed from a URL. */
export interface ResourcePath {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  /** `status` for the status subresource. */
  subresource?: string;
}

const PATH =
  /^\/(?:api\/v1|apis\/(?<group>[a-z0-9.-]+)\/v1)(?:\/namespaces\/(?<namespace>[^/]+)(?=\/))?\/(?<plural>[a-z]+)(?:\/(?<name>[^/]+)(?:\/(?<subresource>status))?)?$/;

/** Parses `/apis/apps/v1/namespaces/x/deployments/y`; undefined for a path no resource here has. */
export function parseResourcePath(path: string): ResourcePath | undefined {
  const match = PATH.exec(path)?.groups;
  if (!match) return undefined;
  const group = match.group ?? '';
  const resource = RESOURCES.find((r) => r.plural === match.plural && r.group === group);
  if (!resource) return undefined;
  if (resource.namespaced !== (match.namespace !== undefined) && match.name !== undefined) return undefined;
  if (!resource.namespaced && match.namespace !== undefined) return undefined;
  const parsed: ResourcePath = { resource };
  if (match.namespace !== undefined) parsed.namespace = decodeURIComponent(match.namespace);
  if (match.name !== undefined) parsed.name = decodeURIComponent(match.name);
  if (match.subresource !== undefined) parsed.subresource = match.subresource;
  return parsed;
}
