import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { TelemetrySink } from './sink';

export const OTLP_TRACES_PATH = '/v1/traces';

/** The largest request accepted (the collector's default max_request_body_size is 20 MiB). */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

/**
 * The collector's OTLP/HTTP traces endpoint for JSON: `POST /v1/traces` with `application/json`
 * (what the workloads' OTLPTraceExporter from @opentelemetry/exporter-trace-otlp-http sends), gzip or
 * not; answered as the collector answers, 200 with an ExportTraceServiceResponse. Protobuf is refused
 * with 415: no workload sends it.
 */
export function otlpHandler(sink: TelemetrySink) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'POST') {
      answer(res, 405, 'only POST is accepted on /v1/traces');
      return;
    }
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim();
    if (type !== 'application/json') {
      answer(res, 415, `content type ${type || '(none)'} is not accepted: send application/json`);
      return;
    }
    readBody(req)
      .then((body) => {
        const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
        sink.otlp(JSON.parse(text));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ partialSuccess: {} }));
      })
      .catch((error: unknown) =>
        answer(res, 400, `not an OTLP/JSON ExportTraceServiceRequest: ${messageOf(error)}`),
      );
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`the body is over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A google.rpc.Status body, as the collector answers a refused request. */
function answer(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code: status === 400 ? 3 : 12, message }));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
