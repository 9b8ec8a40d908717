import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  type Context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { ServiceTelemetry } from './container-telemetry';
import { actOut, type InjectedFaults, injectedFaults, refuseToStartIfTold } from './injected-faults';
import { REQUEST_METRICS } from './metrics-namespace';
import { xrayTraceId } from './otel';

/**
 * A tiny JSON request/response layer over node:http for SecureCart's containers: exact-path routes, JSON
 * bodies with a size limit, `/health` built in, one SERVER span per request (parented on the incoming
 * X-Amzn-Trace-Id), one access-log line and request metrics.
 */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface JsonRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The request's trace context (server span active), for child spans and outgoing calls. */
  traceContext: Context;
}

export interface JsonResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handler: (request: JsonRequest) => Promise<JsonResponse> | JsonResponse;
}

export interface JsonServerOptions {
  telemetry: ServiceTelemetry;
  routes: Route[];
  maxBodyBytes?: number;
}

export function header(request: JsonRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() ? first.trim() : undefined;
}

export function createJsonServer(options: JsonServerOptions): Server {
  const { telemetry } = options;
  const faults = injectedFaults();
  refuseToStartIfTold(faults);
  const health: Route = {
    method: 'GET',
    path: '/health',
    handler: () => ({
      status: 200,
      body: { status: 'ok', service: telemetry.serviceName, release: telemetry.release },
    }),
  };
  const routes = [health, ...options.routes];
  return createServer((req, res) => {
    void handle(req, res, routes, options, faults);
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: Route[],
  options: JsonServerOptions,
  faults: InjectedFaults | undefined,
) {
  const { tracing, logger, metrics } = options.telemetry;
  const started = performance.now();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const samePath = routes.filter((r) => r.path === url.pathname);
  const route = samePath.find((r) => r.method === method);
  const routeName = samePath.length > 0 ? url.pathname : 'unmatched';
  const parent = tracing.propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
  const span = tracing.tracer.startSpan(
    `${method} ${routeName}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': method, 'url.path': url.pathname, 'http.route': routeName },
    },
    parent,
  );
  const traceContext = trace.setSpan(parent, span);
  let response: JsonResponse;
  try {
    if (!route) throw routeError(samePath);
    const body = method === 'POST' ? await readJsonBody(req, options.maxBodyBytes ?? 1_048_576) : undefined;
    const request = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      traceContext,
    };
    await actOut(faults);
    response = await route.handler(request);
  } catch (error) {
    response = errorResponse(error);
    // The client may still be sending: answer, then drop the connection rather than read the rest.
    if (error instanceof BodyTooLarge) {
      response.headers = { ...response.headers, connection: 'close' };
      res.once('finish', () => req.destroy());
    }
    if (!(error instanceof HttpError)) {
      span.recordException(error as Error);
      logger.error('unhandled error', { route: routeName, error: error as Error });
    }
  }
  send(res, response);
  const durationMs = Math.round(performance.now() - started);
  span.setAttribute('http.response.status_code', response.status);
  if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
  const traceId = xrayTraceId(span.spanContext().traceId);
  logger.info('request', { method, route: routeName, status: response.status, durationMs, traceId });
  metrics.addMetric(REQUEST_METRICS.requests, MetricUnit.Count, 1);
  metrics.addMetric(REQUEST_METRICS.latency, MetricUnit.Milliseconds, durationMs);
  if (response.status >= 500) metrics.addMetric(REQUEST_METRICS.faults, MetricUnit.Count, 1);
  else if (response.status >= 400) metrics.addMetric(REQUEST_METRICS.clientErrors, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

function routeError(samePath: Route[]): HttpError {
  if (samePath.length === 0) return new HttpError(404, 'not_found', 'no such route');
  const allowed = samePath.map((r) => r.method).join(', ');
  return new HttpError(405, 'method_not_allowed', `allowed methods: ${allowed}`);
}

function errorResponse(error: unknown): JsonResponse {
  if (error instanceof HttpError) {
    const body: Record<string, unknown> = { error: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    return { status: error.status, body };
  }
  return { status: 500, body: { error: 'internal_error', message: 'unexpected error' } };
}

/** A request body over the limit: answered 413 and the connection closed, the rest of the body never read. */
class BodyTooLarge extends HttpError {
  constructor(maxBytes: number) {
    super(413, 'payload_too_large', `body exceeds ${maxBytes} bytes`);
  }
}

/** The body, buffered up to `maxBytes`; at the limit, reading stops (no more bytes are taken from the client). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new BodyTooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.pause();
      reject(new BodyTooLarge(maxBytes));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readBody(req, maxBytes);
  if (body.length === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
  }
}

function send(res: ServerResponse, response: JsonResponse): void {
  const payload = JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...response.headers,
  });
  res.end(payload);
}

/** Listens and resolves with the bound port (pass 0 for an ephemeral port in tests). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** PORT from the environment (default 8080); a malformed value is an error, not a silent default. */
export function portFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.PORT?.trim() || '8080';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`PORT must be 1-65535, got "${raw}"`);
  return port;
}

/**
 * Entry-point glue: listen on PORT on HOST (all interfaces unless told, as a container must; the local
 * cloud says 127.0.0.1), drain and flush traces on SIGTERM/SIGINT.
 */
export async function serve(server: Server, telemetry: ServiceTelemetry, env = process.env): Promise<void> {
  const port = await listen(server, portFromEnv(env), env.HOST?.trim() || '0.0.0.0');
  telemetry.logger.info('listening', { port, otlp: telemetry.tracing.otlpUrl ?? 'disabled' });
  const stop = (signal: string) => {
    telemetry.logger.info('shutting down', { signal });
    server.close(() => {
      void telemetry.tracing.shutdown().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
