import { createSocket } from 'node:dgram';
import type { TelemetrySink } from './sink';

export interface XRayDaemon {
  /** `127.0.0.1:<port>`, the form AWS_XRAY_DAEMON_ADDRESS takes. */
  address: string;
  port: number;
  /** Datagrams refused so far (not the daemon protocol, or not a segment document). */
  rejected(): number;
  close(): Promise<void>;
}

/**
 * The X-Ray daemon's UDP endpoint on loopback: each datagram is the header `{"format":"json","version":1}`,
 * a newline, and one segment or subsegment document, as the X-Ray SDKs send them (the Node SDK streams
 * a Lambda's subsegments one by one, each with `type: "subsegment"`, `parent_id` and `trace_id`).
 */
export async function startXRayDaemon(sink: TelemetrySink): Promise<XRayDaemon> {
  const socket = createSocket('udp4');
  let rejected = 0;
  socket.on('message', (message) => {
    const document = segmentOf(message.toString('utf8'));
    if (document) sink.segments([document]);
    else rejected += 1;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    port,
    rejected: () => rejected,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** The document of one daemon datagram, or undefined when it does not follow the protocol. */
export function segmentOf(datagram: string): Record<string, unknown> | undefined {
  const newline = datagram.indexOf('\n');
  if (newline < 0) return undefined;
  const header = parse(datagram.slice(0, newline));
  if (header?.format !== 'json' || header.version !== 1) return undefined;
  const document = parse(datagram.slice(newline + 1));
  if (!document || typeof document.trace_id !== 'string' || typeof document.id !== 'string') return undefined;
  return document;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
