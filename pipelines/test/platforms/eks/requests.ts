import type { FakeKubernetesApi, RecordedRequest } from './fake-api';

const PREFIX = /^\/apis\/(?:apps|networking\.k8s\.io)\/v1\/namespaces\/recommendations\//;

/** "GET deployments/recommendations-stable", "PATCH ingresses/recommendations": a request, short. */
function line(request: RecordedRequest): string {
  return `${request.method} ${request.path.replace(PREFIX, '')}${request.status === 200 ? '' : ` → ${request.status}`}`;
}

/** The requests received since `from` (an index into the log), short. */
export function linesSince(api: FakeKubernetesApi, from = 0): string[] {
  return api.requests.slice(from).map(line);
}

/** The PATCH requests since `from`, with their content type and body: what a change sent. */
export function patchesSince(api: FakeKubernetesApi, from = 0) {
  return api.requests
    .slice(from)
    .filter((request) => request.method === 'PATCH')
    .map((request) => ({ target: line(request), contentType: request.contentType, body: request.body }));
}
