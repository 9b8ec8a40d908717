import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { FaultPlan } from '../faults/fault-plan';
import type { ServiceDefinition } from '../services/service';
import { createAwsDispatch } from './aws-dispatch';
import type { WireRequest, WireResponse } from './wire-message';

export interface AwsServerOptions {
  services: ServiceDefinition[];
  clock: ScaledClock;
  /** The live fault plan: read on every request, so changing it changes what the next call meets. */
  faults: FaultPlan;
  /** The port on 127.0.0.1 (default 0: one the OS picks). */
  port?: number;
  /** Where internal failures are reported; console.error by default. */
  log?: (line: string) => void;
}

export type MountHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface AwsServer {
  /** `http://127.0.0.1:<port>`: the endpoint of every SDK client. */
  url: string;
  /** Serves a non-AWS endpoint (`/_tollgate/`, `/v1/traces`) under a path prefix, before AWS routing. */
  mount(pathPrefix: string, handler: MountHandler): void;
  /** Stops serving; calling it again answers the same promise. */
  close(): Promise<void>;
}

/** One HTTP server on loopback serving every service of `services` on its SDK's wire protocol. */
export async function startAwsServer(options: AwsServerOptions): Promise<AwsServer> {
  const dispatch = createAwsDispatch(options);
  const mounts: { prefix: string; handler: MountHandler }[] = [];
  const server = createServer((request, response) => {
    const mounted = mounts.find(({ prefix }) => (request.url ?? '/').startsWith(prefix));
    if (mounted) mounted.handler(request, response);
    else void serveAws(request, response);
  });

  async function serveAws(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      write(response, await dispatch(await wireRequest(request)));
    } catch (error) {
      // Only a broken connection gets here: the dispatcher answers every failure of its own.
      if (!response.headersSent) response.writeHead(500).end();
      response.destroy(error as Error);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    mount(pathPrefix, handler) {
      mounts.push({ prefix: pathPrefix, handler });
      mounts.sort((a, b) => b.prefix.length - a.prefix.length);
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

async function wireRequest(request: IncomingMessage): Promise<WireRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const url = new URL(request.url ?? '/', 'http://localhost');
  return {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body: new Uint8Array(Buffer.concat(chunks)),
  };
}

function write(response: ServerResponse, answer: WireResponse): void {
  // A view on the bytes, not Buffer.from(bytes): the SDK's JSON bytes would turn themselves into a string.
  const { body: raw } = answer;
  const body =
    typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.byteLength) });
  response.end(body);
}
