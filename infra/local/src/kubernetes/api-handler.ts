import { eksTokenProblem } from './bearer-token';
import { JsonPatchError, jsonPatch } from './json-patch';
import { parseLabelSelector } from './label-selector';
import { isObject, type Json, type JsonObject, mergePatch, strategicMergePatch } from './merge-patches';
import { metadataOf, type ObjectStore } from './object-store';
import { parseResourcePath, type ResourcePath, type ResourceType } from './resources';
import { badRequest, invalid, KubernetesError, routeNotFound, unauthorized } from './status-error';
import { validationProblems } from './validation';

export interface ApiRequest {
  method: string;
  /** Path and query, as the request line has them. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const PATCHERS: Record<string, (target: Json, patch: Json) => Json> = {
  'application/strategic-merge-patch+json': strategicMergePatch,
  'application/merge-patch+json': mergePatch,
  'application/json-patch+json': jsonPatch,
};

/**
 * The Kubernetes API of one cluster over its ObjectStore: GET (one object, a list with labelSelector, the
 * Deployment status subresource) and PATCH in the three patch types, after the EKS token check; every error
 * is a Status object with kube-apiserver's code, reason and wording.
 */
export class KubernetesApiHandler {
  constructor(
    private readonly store: ObjectStore,
    private readonly now: () => number,
  ) {}

  handle(request: ApiRequest): ApiResponse {
    try {
      const header = request.headers.authorization;
      if (eksTokenProblem(Array.isArray(header) ? header[0] : header, this.now()) !== undefined) {
        throw unauthorized();
      }
      return json(200, this.route(request));
    } catch (error) {
      if (error instanceof KubernetesError) return json(error.code, error.body(), error.headers);
      throw error;
    }
  }

  private route(request: ApiRequest): JsonObject {
    const url = new URL(request.url, 'https://kubernetes.local');
    if (url.pathname === '/version') return VERSION;
    const path = parseResourcePath(url.pathname);
    if (!path) throw routeNotFound();
    const { resource } = path;
    const verb = verbOf(request.method, path);
    if (!verb || !resource.verbs.includes(verb)) {
      throw new KubernetesError(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
      );
    }
    if (verb === 'list') return this.list(resource, path.namespace, url.searchParams.get('labelSelector'));
    const name = path.name as string;
    if (verb === 'get') return this.store.get(resource, path.namespace, name);
    return this.patch(path, name, request);
  }

  private list(resource: ResourceType, namespace: string | undefined, selector: string | null): JsonObject {
    const matches = parseLabelSelector(selector);
    const items = this.store
      .list(resource, namespace)
      .filter((object) => matches((metadataOf(object).labels ?? {}) as Record<string, string>))
      .map(({ apiVersion: _apiVersion, kind: _kind, ...item }) => item);
    return {
      kind: `${resource.kind}List`,
      apiVersion: resource.apiVersion,
      metadata: { resourceVersion: this.store.currentVersion() },
      items,
    };
  }

  private patch(path: ResourcePath, name: string, request: ApiRequest): JsonObject {
    const { resource, namespace } = path;
    const contentType =
      String(request.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim() ?? '';
    const apply = PATCHERS[contentType];
    if (!apply) {
      throw new KubernetesError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCHERS).join(', ')}`,
      );
    }
    const body = parseBody(request.body, contentType);
    const stored = this.store.get(resource, namespace, name);
    const patched = applyPatch(apply, stored, body);
    const precondition = isObject(patched.metadata) ? patched.metadata.resourceVersion : undefined;
    const problems = validationProblems(resource, patched, stored);
    if (problems.length > 0) throw invalid(resource, name, problems);
    return this.store.update(resource, patched, typeof precondition === 'string' ? precondition : undefined);
  }
}

function verbOf(method: string, path: ResourcePath): 'get' | 'list' | 'patch' | undefined {
  if (path.subresource === 'status') return method === 'GET' ? 'get' : undefined;
  if (method === 'GET') return path.name === undefined ? 'list' : 'get';
  if (method === 'PATCH' && path.name !== undefined) return 'patch';
  return undefined;
}

function parseBody(text: string, contentType: string): Json {
  let body: Json;
  try {
    body = JSON.parse(text) as Json;
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
  if (contentType === 'application/json-patch+json' && !Array.isArray(body)) {
    throw badRequest(
      'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
    );
  }
  if (contentType !== 'application/json-patch+json' && !isObject(body)) {
    throw badRequest('error decoding patch: the patch must be a JSON object');
  }
  return body;
}

function applyPatch(apply: (target: Json, patch: Json) => Json, stored: JsonObject, body: Json): JsonObject {
  let patched: Json;
  try {
    patched = apply(stored, body);
  } catch (error) {
    if (error instanceof JsonPatchError) throw new KubernetesError(422, 'Invalid', error.message);
    throw error;
  }
  if (!isObject(patched)) throw new KubernetesError(422, 'Invalid', 'the patched object is not an object');
  return patched;
}

/** kube-apiserver's /version of an EKS 1.33 control plane. */
const VERSION: JsonObject = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.0-eks-local',
  platform: 'linux/amd64',
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
