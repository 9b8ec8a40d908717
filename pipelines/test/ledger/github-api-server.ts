import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the parts of GitHub's REST API the Deployments ledger uses, answering as
 * docs.github.com/rest/deployments describes: create and list deployments (filters `sha`, `ref`, `task`,
 * `environment`; `per_page` ≤ 100, default 30; `Link` headers), create and list statuses (states, the
 * 140-character description limit, `auto_inactive`), `Bad credentials` for a wrong token, and any error a
 * test queues. It keeps what it is sent, so tests can assert the exact requests.
 */

export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface StoredStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  log_url: string;
  target_url: string;
  environment_url: string;
  created_at: string;
}

export interface StoredDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  description: string | null;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  statuses: StoredStatus[];
}

interface QueuedFailure {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
}

const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

export class GitHubApiServer {
  readonly requests: SeenRequest[] = [];
  readonly deployments: StoredDeployment[] = [];
  private readonly failures: QueuedFailure[] = [];
  private nextStatusId = 1;
  private server?: Server;
  private url = '';

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly token: string,
  ) {}

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      this.handle(request)
        .then((answer) => send(response, answer))
        .catch((error: unknown) => send(response, reply(500, { message: String(error) })));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next request matching `method` and `path` is answered with `status` and `body`, once. */
  failNext(method: string, path: RegExp, status: number, body: unknown): void {
    this.failures.push({ method, path, status, body });
  }

  /** The next request matching `method` and `path` gets no answer until the server stops. */
  hangNext(method: string, path: RegExp): void {
    this.failures.push({ method, path, status: 0, body: undefined });
  }

  /** A deployment some other tool made: no Tollgate payload. */
  addForeignDeployment(fields: Partial<StoredDeployment>): StoredDeployment {
    return this.store({ ref: 'main', task: 'deploy', payload: {}, environment: 'production', ...fields });
  }

  /** A status GitHub itself adds (an `inactive` when a later deployment supersedes this one). */
  addStatus(deployment: StoredDeployment, state: string, description = ''): void {
    deployment.statuses.push(this.status(deployment, { state, description }));
  }

  statusesOf(index: number): StoredStatus[] {
    return this.deployments[index]?.statuses ?? [];
  }

  private async handle(request: IncomingMessage): Promise<Reply> {
    const url = new URL(request.url ?? '/', this.url);
    const body = await readBody(request);
    const seen: SeenRequest = {
      method: request.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(body ? { body } : {}),
    };
    this.requests.push(seen);
    const failure = this.failures.findIndex((f) => f.method === seen.method && f.path.test(seen.path));
    if (failure >= 0) {
      const [queued] = this.failures.splice(failure, 1);
      if (queued?.status === 0) return new Promise<Reply>(() => {});
      return reply(queued?.status ?? 500, queued?.body);
    }
    if (request.headers.authorization !== `token ${this.token}`) {
      return reply(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      });
    }
    const base = `/repos/${this.owner}/${this.repo}/deployments`;
    const statusPath = new RegExp(`^${base}/(\\d+)/statuses$`);
    const statusMatch = statusPath.exec(url.pathname);
    if (url.pathname === base && seen.method === 'POST') return this.createDeployment(body ?? {});
    if (url.pathname === base && seen.method === 'GET') return this.listDeployments(url);
    if (statusMatch && seen.method === 'POST') return this.createStatus(Number(statusMatch[1]), body ?? {});
    if (statusMatch && seen.method === 'GET') return this.listStatuses(Number(statusMatch[1]), url);
    return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  private createDeployment(body: Record<string, unknown>): Reply {
    if (typeof body.ref !== 'string' || body.ref === '') {
      return reply(422, validationFailed('Deployment', 'ref', 'missing_field'));
    }
    const environment = typeof body.environment === 'string' ? body.environment : 'production';
    const deployment = this.store({
      ref: body.ref,
      task: typeof body.task === 'string' ? body.task : 'deploy',
      payload: body.payload ?? {},
      environment,
      description: typeof body.description === 'string' ? body.description : '',
      transient_environment: body.transient_environment === true,
      production_environment:
        typeof body.production_environment === 'boolean'
          ? body.production_environment
          : environment === 'production',
    });
    return reply(201, this.deploymentJson(deployment));
  }

  private listDeployments(url: URL): Reply {
    const query = url.searchParams;
    const matching = this.deployments
      .filter((d) =>
        ['sha', 'ref', 'task', 'environment'].every(
          (key) => !query.has(key) || query.get(key) === (d as unknown as Record<string, unknown>)[key],
        ),
      )
      .sort((a, b) => b.id - a.id);
    return this.page(
      url,
      matching.map((d) => this.deploymentJson(d)),
    );
  }

  private createStatus(id: number, body: Record<string, unknown>): Reply {
    const deployment = this.deployments.find((d) => d.id === id);
    if (!deployment) return reply(404, { message: 'Not Found' });
    if (typeof body.state !== 'string' || !STATES.includes(body.state)) {
      return reply(422, validationFailed('DeploymentStatus', 'state', 'invalid'));
    }
    const description = typeof body.description === 'string' ? body.description : '';
    if (description.length > 140) {
      return reply(422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'DeploymentStatus',
            code: 'custom',
            field: 'description',
            message: 'description is too long (maximum is 140 characters)',
          },
        ],
      });
    }
    const status = this.status(deployment, { ...body, state: body.state, description });
    if (body.state === 'success' && body.auto_inactive !== false) this.inactivatePrior(deployment);
    deployment.statuses.push(status);
    return reply(201, status);
  }

  /** What GitHub does for `auto_inactive` (default true): earlier successful deployments there go inactive. */
  private inactivatePrior(deployment: StoredDeployment): void {
    if (deployment.production_environment || deployment.transient_environment) return;
    for (const other of this.deployments) {
      const latest = other.statuses.at(-1);
      if (
        other.id < deployment.id &&
        other.environment === deployment.environment &&
        latest?.state === 'success'
      ) {
        other.statuses.push(this.status(other, { state: 'inactive', description: '' }));
      }
    }
  }

  private listStatuses(id: number, url: URL): Reply {
    const deployment = this.deployments.find((d) => d.id === id);
    if (!deployment) return reply(404, { message: 'Not Found' });
    return this.page(url, [...deployment.statuses].reverse());
  }

  private page(url: URL, items: unknown[]): Reply {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (n: number, rel: string) => {
      const target = new URL(url);
      target.searchParams.set('page', String(n));
      return `<${target}>; rel="${rel}"`;
    };
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ];
    const headers = links.length ? { link: links.join(', ') } : {};
    return reply(200, items.slice((page - 1) * perPage, page * perPage), headers);
  }

  private store(fields: Partial<StoredDeployment>): StoredDeployment {
    const deployment: StoredDeployment = {
      id: this.deployments.length + 1,
      sha: fields.ref ?? 'main',
      ref: 'main',
      task: 'deploy',
      payload: {},
      environment: 'production',
      description: '',
      transient_environment: false,
      production_environment: false,
      created_at: new Date().toISOString(),
      statuses: [],
      ...fields,
    };
    this.deployments.push(deployment);
    return deployment;
  }

  private status(deployment: StoredDeployment, body: Record<string, unknown>): StoredStatus {
    const logUrl = typeof body.log_url === 'string' ? body.log_url : '';
    return {
      id: this.nextStatusId++,
      state: String(body.state),
      description: String(body.description ?? ''),
      environment: deployment.environment,
      log_url: logUrl,
      target_url: logUrl,
      environment_url: typeof body.environment_url === 'string' ? body.environment_url : '',
      created_at: new Date().toISOString(),
    };
  }

  private deploymentJson(deployment: StoredDeployment): Record<string, unknown> {
    const { statuses: _statuses, ...fields } = deployment;
    const api = `${this.url}/repos/${this.owner}/${this.repo}`;
    return {
      url: `${api}/deployments/${deployment.id}`,
      node_id: `DE_${deployment.id}`,
      original_environment: deployment.environment,
      creator: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
      updated_at: deployment.created_at,
      statuses_url: `${api}/deployments/${deployment.id}/statuses`,
      repository_url: api,
      ...fields,
    };
  }
}

function validationFailed(resource: string, field: string, code: string): unknown {
  return {
    message: 'Validation Failed',
    errors: [{ resource, field, code }],
    documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
  };
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
}

interface Reply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

function send(response: ServerResponse, { status, body, headers }: Reply): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(body === undefined ? '' : JSON.stringify(body));
}
