import { request as httpRequest } from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { postJson, startServer, testTelemetry } from '@securecart/testing/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createJsonServer, HttpError, portFromEnv } from '../http';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { telemetry, spans } = testTelemetry('echo', '7.7.7');
const server = createJsonServer({
  telemetry,
  maxBodyBytes: 64,
  routes: [
    { method: 'POST', path: '/echo', handler: (req) => ({ status: 200, body: { got: req.body } }) },
    {
      method: 'GET',
      path: '/fail',
      handler: (req) => {
        if (req.query.get('kind') === 'http')
          throw new HttpError(409, 'conflict', 'already there', { id: 1 });
        throw new Error('kaboom');
      },
    },
  ],
});
const app = await startServer(server, telemetry);

beforeEach(() => spans.reset());

describe('createJsonServer', () => {
  it('serves /health with service and release', async () => {
    const { status, body } = await app.request('/health');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', service: 'echo', release: '7.7.7' });
  });

  it('echoes a JSON body', async () => {
    const { status, body } = await app.request('/echo', postJson({ a: 1 }));
    expect(status).toBe(200);
    expect(body).toEqual({ got: { a: 1 } });
  });

  it.each([
    ['/nope', { method: 'GET' }, 404, 'not_found'],
    ['/echo', { method: 'GET' }, 405, 'method_not_allowed'],
    ['/echo', postJson('{"a":'), 400, 'invalid_json'],
    ['/echo', postJson({ big: 'x'.repeat(100) }), 413, 'payload_too_large'],
    [
      '/echo',
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' },
      415,
      'unsupported_media_type',
    ],
    ['/fail?kind=http', { method: 'GET' }, 409, 'conflict'],
    ['/fail', { method: 'GET' }, 500, 'internal_error'],
  ])('%s %o → %i %s', async (path, init, status, code) => {
    const response = await app.request(path, init as RequestInit);
    expect(response.status).toBe(status);
    expect(response.body.error).toBe(code);
  });

  it('stops reading a body at the limit: answers 413 while the client is still sending, then closes', async () => {
    const url = new URL('/echo', app.baseUrl);
    const outcome = await new Promise<{ status: number | undefined; sentWhenClosed: number }>(
      (resolve, reject) => {
        let sent = 0;
        let status: number | undefined;
        const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
        // A chunked body (no content-length) that never ends on its own: only the limit can answer it.
        const timer = setInterval(() => {
          if (sent >= 1_000_000) return;
          req.write('x'.repeat(1_000));
          sent += 1_000;
        }, 1);
        const stop = setTimeout(() => {
          clearInterval(timer);
          req.destroy();
          reject(new Error(`still open after sending ${sent} bytes: the server kept reading past the limit`));
        }, 3_000);
        req.on('response', (res) => {
          status = res.statusCode;
          res.resume();
        });
        // The server drops the connection: the request closes although this client never ended it. When the
        // drop's reset reaches the client before it has read the answer, the 413 is lost on the way (TCP
        // discards unread data on a reset): what must hold either way is that the server stopped reading.
        req.on('close', () => {
          clearInterval(timer);
          clearTimeout(stop);
          resolve({ status, sentWhenClosed: sent });
        });
        req.on('error', () => {});
      },
    );
    expect([413, undefined]).toContain(outcome.status);
    expect(outcome.sentWhenClosed).toBeLessThan(1_000_000);
  });

  it('refuses a declared content-length over the limit before reading the body', async () => {
    const response = await app.request('/echo', postJson({ big: 'y'.repeat(100) }));
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
  });

  it('keeps HttpError details and hides unexpected error messages', async () => {
    expect((await app.request('/fail?kind=http')).body).toEqual({
      error: 'conflict',
      message: 'already there',
      details: { id: 1 },
    });
    expect(JSON.stringify((await app.request('/fail')).body)).not.toContain('kaboom');
  });

  it('records a SERVER span with release, route and status, joined to the caller X-Ray trace', async () => {
    const traceHeader = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    await app.request('/echo', postJson({ a: 1 }, { 'x-amzn-trace-id': traceHeader }));
    const [span] = spans.getFinishedSpans();
    expect(span?.name).toBe('POST /echo');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe('5759e988bd862e3fe1be46a994272793');
    expect(span?.parentSpanContext?.spanId).toBe('53995c3f42cd8ad8');
    expect(span?.attributes).toMatchObject({
      release: '7.7.7',
      'aws.xray.annotations': ['release'],
      'http.route': '/echo',
      'http.response.status_code': 200,
    });
    expect(span?.resource.attributes).toMatchObject({ 'service.name': 'echo', release: '7.7.7' });
  });

  it('marks 5xx spans as errors with the exception, but not 4xx', async () => {
    await app.request('/fail');
    await app.request('/fail?kind=http');
    const [fault, clientError] = spans.getFinishedSpans();
    expect(fault?.status.code).toBe(SpanStatusCode.ERROR);
    expect(fault?.events.map((e) => e.name)).toContain('exception');
    expect(clientError?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('starts new traces with X-Ray compatible ids (time prefix)', async () => {
    await app.request('/health');
    const traceId = spans.getFinishedSpans()[0]?.spanContext().traceId ?? '';
    const epochSeconds = Number.parseInt(traceId.slice(0, 8), 16);
    expect(Math.abs(epochSeconds - Date.now() / 1000)).toBeLessThan(60);
  });
});

describe('portFromEnv', () => {
  it('defaults to 8080 and rejects junk', () => {
    expect(portFromEnv({})).toBe(8080);
    expect(portFromEnv({ PORT: '3000' })).toBe(3000);
    expect(() => portFromEnv({ PORT: 'http' })).toThrow(/PORT must be/);
  });
});

describe('createJsonServer with injected faults (the local cloud only)', () => {
  it("acts them out inside the request's own span: slower, and failing as an unexpected error", async () => {
    process.env.SECURECART_INJECTED_FAULTS = JSON.stringify({ addedLatencyMs: 40, errorRate: 1 });
    const faulty = createJsonServer({
      telemetry,
      routes: [{ method: 'GET', path: '/ok', handler: () => ({ status: 200, body: {} }) }],
    });
    delete process.env.SECURECART_INJECTED_FAULTS;
    // Closed after the file, like the server above.
    const served = await startServer(faulty, telemetry);
    const { status } = await served.request('/ok');
    expect(status).toBe(500);
    const span = spans.getFinishedSpans().find((s) => s.name === 'GET /ok');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    const [seconds = 0, nanos = 0] = span?.duration ?? [];
    expect(seconds * 1_000 + nanos / 1e6).toBeGreaterThanOrEqual(39);
  });

  it('refuses to start a version told to crash on start', () => {
    process.env.SECURECART_INJECTED_FAULTS = JSON.stringify({ crashOnStart: true });
    try {
      expect(() => createJsonServer({ telemetry, routes: [] })).toThrow('this version crashes on start');
    } finally {
      delete process.env.SECURECART_INJECTED_FAULTS;
    }
  });
});
