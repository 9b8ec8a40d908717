import { type FakeCluster, notFound, qualified, type Resource } from './fake-cluster';
import type { Json } from './merge-patches';

/** One request the fake API server received, as the tests compare them. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The RBAC verb and resource it needs (`get deployments`), when it is a route the server knows. */
  access?: string;
  contentType?: string;
  body?: Json;
  userAgent?: string;
  authorization?: string;
  status: number;
}

export interface ApiRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const ROUTE =
  /^\/apis\/(?<group>apps|networking\.k8s\.io)\/v1\/namespaces\/(?<namespace>[^/]+)\/(?<resource>deployments|ingresses)\/(?<name>[^/]+)$/;
const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
];

/**
 * The subset of the Kubernetes API the EKS adapter needs, over a FakeCluster: GET and PATCH of
 * Deployments (apps/v1) and Ingresses (networking.k8s.io/v1), answering errors with Status objects as
 * the real API server does (401, 403, 404, 409, 415, 422, 429). Tests can make requests fail, deny an
 * RBAC verb, and read every request back.
 */
export class FakeKubernetesApi {
  readonly requests: RecordedRequest[] = [];
  private readonly failures: Failure[] = [];
  private readonly hooks: { method: string; run: () => void }[] = [];
  private readonly denied = new Set<string>();

  constructor(
    readonly cluster: FakeCluster,
    private readonly authorize: (authorization: string | undefined) => boolean = () => true,
  ) {}

  /**
   * The next `times` requests with `method` fail with `code` (429 carries Retry-After: 1). With
   * `afterApplying`, the request takes effect first and only its answer is the failure: a response lost.
   */
  failNext(method: 'GET' | 'PATCH', code = 429, times = 1, afterApplying = false): void {
    for (let i = 0; i < times; i += 1) this.failures.push({ method, code, afterApplying });
  }

  /** Runs `run` just before the next request with `method` is handled: someone else's change in between. */
  beforeNext(method: 'GET' | 'PATCH', run: () => void): void {
    this.hooks.push({ method, run });
  }

  /** RBAC refuses `verb` on `resource` from now on. */
  deny(verb: 'get' | 'patch', resource: Resource): void {
    this.denied.add(`${verb} ${resource}`);
  }

  handle(request: ApiRequest): ApiResponse {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const path = request.url.split('?')[0] ?? '';
    const recorded: RecordedRequest = { method: request.method, path, status: 0 };
    const contentType = header('content-type');
    if (contentType) recorded.contentType = contentType;
    const agent = header('user-agent');
    if (agent) recorded.userAgent = agent;
    const authorization = header('authorization');
    if (authorization) recorded.authorization = authorization;
    if (request.body) recorded.body = parseJson(request.body);
    const response = this.respond(request, path, recorded, authorization);
    recorded.status = response.status;
    this.requests.push(recorded);
    return response;
  }

  private respond(
    request: ApiRequest,
    path: string,
    recorded: RecordedRequest,
    authorization: string | undefined,
  ): ApiResponse {
    if (!this.authorize(authorization)) return status(401, 'Unauthorized', 'Unauthorized');
    const route = ROUTE.exec(path)?.groups;
    if (!route) return status(404, 'NotFound', 'the server could not find the requested resource');
    const { namespace, name } = route as { namespace: string; name: string };
    const resource = route.resource as Resource;
    const verb = request.method === 'GET' ? 'get' : request.method === 'PATCH' ? 'patch' : undefined;
    if (!verb) return status(405, 'MethodNotAllowed', `the server does not allow this method on ${resource}`);
    recorded.access = `${verb} ${resource}`;
    take(this.hooks, request.method)?.run();
    const failure = take(this.failures, request.method);
    if (failure && !failure.afterApplying) return failed(failure.code);
    const response = this.serve(verb, { resource, namespace, name, group: route.group as string }, recorded);
    return failure ? failed(failure.code) : response;
  }

  private serve(
    verb: 'get' | 'patch',
    { resource, namespace, name, group }: ObjectRef,
    recorded: RecordedRequest,
  ): ApiResponse {
    if (this.denied.has(`${verb} ${resource}`)) {
      const message = `${qualified(resource)} "${name}" is forbidden: User "tollgate" cannot ${verb} resource "${resource}" in API group "${group}" in the namespace "${namespace}"`;
      return status(403, 'Forbidden', message);
    }
    if (verb === 'get') {
      const object = this.cluster.get(resource, namespace, name);
      return object ? json(200, object) : status(404, 'NotFound', notFound(resource, name));
    }
    return this.patch(resource, namespace, name, recorded);
  }

  private patch(resource: Resource, namespace: string, name: string, recorded: RecordedRequest): ApiResponse {
    const type = recorded.contentType ?? '';
    if (!PATCH_TYPES.includes(type)) {
      return status(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
      );
    }
    if (type === 'application/json-patch+json') {
      // What the real server answers to a merge-style body sent with the client's default content type.
      const message = Array.isArray(recorded.body)
        ? 'the fake API server does not implement JSON patch'
        : 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp';
      return status(400, 'BadRequest', message);
    }
    const outcome = this.cluster.patch(resource, namespace, name, type, recorded.body ?? null);
    return outcome.ok ? json(200, outcome.object) : status(outcome.code, outcome.reason, outcome.message);
  }
}

interface ObjectRef {
  resource: Resource;
  namespace: string;
  name: string;
  group: string;
}

interface Failure {
  method: string;
  code: number;
  afterApplying: boolean;
}

function take<T extends { method: string }>(queue: T[], method: string): T | undefined {
  const index = queue.findIndex((candidate) => candidate.method === method);
  return index === -1 ? undefined : queue.splice(index, 1)[0];
}

function failed(code: number): ApiResponse {
  if (code === 429) {
    return status(429, 'TooManyRequests', 'Too many requests, please try again later.', {
      'retry-after': '1',
    });
  }
  return status(code, 'InternalError', 'Internal error occurred: etcdserver: request timed out');
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

function json(code: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status: code,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

function status(
  code: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
): ApiResponse {
  const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  return json(code, body, headers);
}
