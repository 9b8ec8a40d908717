import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubernetesApiHandler } from './api-handler';
import type { TlsCertificate } from './tls-certificate';

export interface KubernetesApiServer {
  /** `https://127.0.0.1:<port>`: the cluster endpoint DescribeCluster reports. */
  url: string;
  close(): Promise<void>;
}

/** Request bodies larger than this are refused (kube-apiserver limits them to 3 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Serves one cluster's API over HTTPS on 127.0.0.1, on a port the system chooses. */
export async function startKubernetesApiServer(
  handler: KubernetesApiHandler,
  tls: TlsCertificate,
): Promise<KubernetesApiServer> {
  const server = createServer(tls, (request, response) => serve(handler, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serve(handler: KubernetesApiHandler, request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  request.on('end', () => {
    if (size > MAX_BODY_BYTES) {
      response.writeHead(413, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 413 }));
      return;
    }
    const answer = handler.handle({
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  });
}
