import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FakeKubernetesApi } from './fake-api';

export interface FakeKubernetesServer {
  /** http://127.0.0.1:<port> (https:// with `tls`). */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `api` over HTTP (or HTTPS with `tls`) on 127.0.0.1, on a port the system chooses, so the adapter
 * talks to it through the real @kubernetes/client-node, its kubeconfig handling and its fetch.
 */
export async function startFakeKubernetes(
  api: FakeKubernetesApi,
  tls?: { key: string; cert: string },
): Promise<FakeKubernetesServer> {
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = api.handle({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
    });
  };
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
