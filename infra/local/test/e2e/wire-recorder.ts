import { createServer, request as forward, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One AWS call as the wire carried it between the `tollgate` process and the cloud: the SigV4 scope's
 * service, the operation (X-Amz-Target's, or the REST method and path), the HTTP status, and the error
 * name the answer carried. Recorded by a pass-through proxy, so it is what the SDK really met.
 */
export interface WireCall {
  service: string;
  operation: string;
  status: number;
  error?: string;
}

/**
 * A pass-through HTTP proxy in front of the cloud that records every AWS call's answer. The error name
 * comes from `x-amzn-errortype` (every JSON protocol sends it), else from the body's `__type` or `<Code>`.
 */
export async function startWireRecorder(upstream: string) {
  const to = new URL(upstream);
  const calls: WireCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const proxied = forward(
      {
        host: to.hostname,
        port: to.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        const status = answer.statusCode ?? 502;
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => {
          if (status >= 400) chunks.push(chunk);
        });
        answer.on('end', () => calls.push(wireCall(incoming, status, answer, Buffer.concat(chunks))));
        outgoing.writeHead(status, answer.headers);
        answer.pipe(outgoing);
      },
    );
    proxied.on('error', () => outgoing.destroy());
    incoming.on('error', () => proxied.destroy());
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) proxied.destroy();
    });
    incoming.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function wireCall(
  incoming: IncomingMessage,
  status: number,
  answer: IncomingMessage,
  body: Buffer,
): WireCall {
  const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(incoming.headers.authorization ?? '');
  const target = incoming.headers['x-amz-target'];
  const path = (incoming.url ?? '/').split('?')[0];
  const operation =
    typeof target === 'string' ? (target.split('.').pop() ?? target) : `${incoming.method} ${path}`;
  const call: WireCall = { service: scope?.[1] ?? 'none', operation, status };
  const header = answer.headers['x-amzn-errortype'];
  const text = body.toString();
  const named =
    (typeof header === 'string' ? header.split(':')[0] : undefined) ??
    /"__type"\s*:\s*"(?:[^"#]*#)?([^"]+)"/.exec(text)?.[1] ??
    /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  if (named) call.error = named;
  return call;
}
