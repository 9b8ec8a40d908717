import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedLine {
  logGroup: string;
  line: string;
  realEpochMs: number;
}

export interface RecordedMetric {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  value: number;
  unit?: string;
  realEpochMs: number;
}

/** A sink that keeps what it is given, for assertions. */
export function recordingSink() {
  const lines: RecordedLine[] = [];
  const metrics: RecordedMetric[] = [];
  return {
    lines,
    metrics,
    logLine(logGroup: string, line: string, realEpochMs: number) {
      lines.push({ logGroup, line, realEpochMs });
    },
    metric(datum: RecordedMetric) {
      metrics.push(datum);
    },
  };
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string };
}

export interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { spans?: { name: string; attributes?: OtlpAttribute[] }[] }[];
  }[];
}

/** An OTLP/HTTP JSON traces endpoint on 127.0.0.1 that records every export request. */
export async function startOtlpRecorder(): Promise<{ url: string; requests: OtlpRequest[]; server: Server }> {
  const requests: OtlpRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        requests.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, server };
}

/** The `release` span attribute of every recorded span, by span name. */
export function spanReleases(
  requests: readonly OtlpRequest[],
): { name: string; release: string | undefined }[] {
  return requests.flatMap((request) =>
    (request.resourceSpans ?? []).flatMap((resourceSpans) =>
      (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
        (scope.spans ?? []).map((span) => ({
          name: span.name,
          release: span.attributes?.find((a) => a.key === 'release')?.value.stringValue,
        })),
      ),
    ),
  );
}

export function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
