import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TelemetrySink } from '../telemetry/sink';
import { type MetricTable, type RoutedRequest, vendMetrics } from './router-metrics';
import { SmoothWeightedChoice } from './weighted-choice';

export interface RouterTarget {
  id: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Integer share; 0 takes no requests. */
  weight: number;
}

export interface WeightedRouterOptions {
  sink: Pick<TelemetrySink, 'metric'>;
  /** What it stands for (`sc-prd-auth :80`), in its answers and errors. */
  name: string;
  /** The platform metrics it vends per request (albMetricTable, appRunnerMetricTable); none when absent. */
  metrics?: MetricTable;
  /** A target that sends no response headers in this long is answered 504 (ALB's idle timeout: 60 s). */
  targetTimeoutMs?: number;
}

/** An HTTP proxy on 127.0.0.1 standing for an ALB listener, an App Runner URL or an EKS Ingress. */
export interface WeightedRouter {
  readonly url: string;
  /** Replaces the targets; the next request is split by the new weights. */
  setTargets(targets: readonly RouterTarget[]): void;
  targets(): readonly RouterTarget[];
  close(): Promise<void>;
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

function validated(name: string, targets: readonly RouterTarget[]): RouterTarget[] {
  const ids = new Set<string>();
  for (const target of targets) {
    if (ids.has(target.id)) throw new Error(`${name}: target id "${target.id}" is given twice`);
    ids.add(target.id);
    const url = new URL(target.url);
    if (url.protocol !== 'http:')
      throw new Error(`${name}: target ${target.id} needs an http:// URL, not ${target.url}`);
  }
  return targets.map((target) => ({ ...target }));
}

const REASONS: Record<number, string> = {
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** The router's own answer, an HTML page as ALB sends it. */
function answerItself(res: ServerResponse, status: number): void {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
  res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startWeightedRouter(options: WeightedRouterOptions): Promise<WeightedRouter> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const timeoutMs = options.targetTimeoutMs ?? 60_000;
  let current: RouterTarget[] = [];
  let choice = new SmoothWeightedChoice(current);

  const record = (routed: RoutedRequest) => {
    if (options.metrics) vendMetrics(options.metrics, options.sink, routed, Date.now());
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const target = choice.next();
    if (!target) {
      answerItself(res, 503);
      record({ status: 503, answeredBy: 'router' });
      return;
    }
    const url = new URL(target.url);
    const started = performance.now();
    const upstream = request({
      host: url.hostname,
      port: url.port,
      method: req.method,
      path: req.url,
      agent,
      headers: {
        ...withoutHopByHop(req.headers),
        'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1',
        'x-forwarded-proto': 'http',
        'x-forwarded-port': String(req.socket.localPort ?? ''),
      },
    });
    upstream.setTimeout(timeoutMs, () => upstream.destroy(new Error('target timed out')));
    upstream.once('response', (answer) => {
      const targetMs = performance.now() - started;
      const status = answer.statusCode ?? 502;
      res.writeHead(status, withoutHopByHop(answer.headers));
      answer.pipe(res);
      answer.once('end', () => record({ targetId: target.id, status, answeredBy: 'target', targetMs }));
    });
    upstream.once('error', (error) => {
      if (res.headersSent) {
        res.destroy(error);
        return;
      }
      const status = error.message === 'target timed out' ? 504 : 502;
      answerItself(res, status);
      record({ targetId: target.id, status, answeredBy: 'router' });
    });
    req.pipe(upstream);
  };

  const server = createServer(forward);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setTargets(targets) {
      current = validated(options.name, targets);
      choice = new SmoothWeightedChoice(current);
    },
    targets: () => current.map((target) => ({ ...target })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
