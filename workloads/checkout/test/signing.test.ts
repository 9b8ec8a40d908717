import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { context, SpanKind } from '@opentelemetry/api';
import { listen } from '@securecart/shared/http';
import { testTelemetry } from '@securecart/testing/server';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Fetch, OrderClient } from '../src/order-client';
import { executeApiRegion, sigv4Signer } from '../src/signing';
import { ORDER } from './order-fixture';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const AT = new Date('2015-08-30T12:36:00Z');
const NOW = new Date('2025-03-01T10:00:00Z');
const API = 'https://abc123.execute-api.eu-west-1.amazonaws.com';

describe('sigv4Signer (@smithy/signature-v4)', () => {
  it("reproduces AWS's published SigV4 get-vanilla example", async () => {
    const sign = sigv4Signer({
      region: 'us-east-1',
      service: 'service',
      credentials: EXAMPLE,
      now: () => AT,
    });
    const headers = await sign({
      method: 'GET',
      url: new URL('https://example.amazonaws.com/'),
      headers: {},
    });
    expect(headers).toEqual({
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    });
  });

  // The same signatures the earlier hand-written signer produced for these requests.
  it('signs an execute-api POST with its body hash', async () => {
    const sign = sigv4Signer({ region: 'eu-west-1', credentials: EXAMPLE, now: () => AT });
    const headers = await sign({
      method: 'POST',
      url: new URL(`${API}/prod/orders`),
      headers: {},
      body: '{"a":1}',
    });
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=c89bdfed2fd3a209ec4e1db553d14e03beaf09dc0c1bde3e7e5a3f84f76d1567',
    );
  });

  it('double-encodes path segments, sorts the query and signs the session token', async () => {
    const sign = sigv4Signer({
      region: 'eu-west-1',
      credentials: async () => ({ ...EXAMPLE, sessionToken: 'SESSIONTOKEN' }),
      now: () => AT,
    });
    const url = new URL(`${API}/prod/a%20b/it's?z=1&a=2&a=1&sp=a b`);
    const headers = await sign({ method: 'POST', url, headers: {}, body: '' });
    expect(headers['x-amz-security-token']).toBe('SESSIONTOKEN');
    expect(headers.authorization).toContain(
      'SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=0cfffa09237bddeb8742ed26aac269a7bd7e51e7658b5f346d6071ebe64ee8b2',
    );
  });

  it('asks the credential provider on every request (the provider memoizes, as the SDK chain does)', async () => {
    const provider = vi.fn(async () => EXAMPLE);
    const sign = sigv4Signer({ region: 'eu-west-1', credentials: provider, now: () => AT });
    await sign({ method: 'POST', url: new URL(API), headers: {}, body: '' });
    await sign({ method: 'POST', url: new URL(API), headers: {}, body: '' });
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('detects execute-api hosts and their region', () => {
    expect(executeApiRegion(new URL('https://a1b2c3.execute-api.ap-southeast-2.amazonaws.com/'))).toBe(
      'ap-southeast-2',
    );
    expect(executeApiRegion(new URL('https://orders.securecart.example/'))).toBeUndefined();
    expect(executeApiRegion(new URL('http://127.0.0.1:3000/'))).toBeUndefined();
  });
});

describe('OrderClient signing', () => {
  const { telemetry, spans } = testTelemetry('checkout', '5.0.0');
  afterAll(() => telemetry.tracing.shutdown());
  const sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  const fakeFetch: Fetch = async (url, init) => {
    sent.push({
      url: String(url),
      headers: init?.headers as Record<string, string>,
      body: String(init?.body),
    });
    return Response.json({ orderId: 'ord_abc' }, { status: 202 });
  };
  const client = (credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials']) =>
    new OrderClient({
      baseUrl: `${API}/prod`,
      tracing: telemetry.tracing,
      fetch: fakeFetch,
      sigv4: { region: 'eu-west-1', credentials, now: () => NOW },
    });

  beforeEach(() => {
    sent.length = 0;
    spans.reset();
  });

  it('sends the order call SigV4-signed for execute-api with the session token', async () => {
    const signing = client(async () => ({
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
      sessionToken: 'tok',
    }));
    await expect(signing.placeOrder(ORDER, 'k-9', context.active())).resolves.toEqual({ orderId: 'ord_abc' });
    expect(sent).toHaveLength(1);
    const { url, headers, body } = sent[0] ?? { url: '', headers: {}, body: '' };
    expect(url).toBe(`${API}/prod/orders`);
    expect(JSON.parse(body)).toEqual(ORDER);
    expect(Object.keys(headers).sort()).toEqual([
      'authorization',
      'content-type',
      'idempotency-key',
      'x-amz-date',
      'x-amz-security-token',
      'x-amzn-trace-id',
    ]);
    expect(headers['x-amz-date']).toBe('20250301T100000Z');
    expect(headers['x-amz-security-token']).toBe('tok');
    expect(headers['idempotency-key']).toBe('k-9');
    // The trace header is sent but not signed: proxies and API Gateway rewrite it.
    const span = spans.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT);
    expect(headers['x-amzn-trace-id']).toContain(`Parent=${span?.spanContext().spanId}`);
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKID\/20250301\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;idempotency-key;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });

  it('sends no security token with long-term keys', async () => {
    await client({ accessKeyId: 'AKID', secretAccessKey: 'secret' }).placeOrder(
      ORDER,
      'k-1',
      context.active(),
    );
    const headers = sent[0]?.headers ?? {};
    expect(headers['x-amz-security-token']).toBeUndefined();
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKID\/20250301\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;idempotency-key;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it('answers 502 without calling the API when credentials cannot be loaded', async () => {
    const broken = client(async () => Promise.reject(new Error('no role')));
    const error = await broken.placeOrder(ORDER, 'k', context.active()).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'order_service_unavailable' });
    expect(sent).toHaveLength(0);
  });

  it('signs what actually arrives over HTTP, as API Gateway verifies it', async () => {
    const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'tok' };
    const received: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const api = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"orderId":"ord_real"}');
      });
    });
    const port = await listen(api, 0, '127.0.0.1');
    try {
      // A non-execute-api host (as with ORDER_API_SIGV4_REGION and a custom domain), with the global fetch.
      const signing = new OrderClient({
        baseUrl: `http://127.0.0.1:${port}`,
        tracing: telemetry.tracing,
        sigv4: { region: 'eu-west-1', credentials, now: () => NOW },
      });
      await expect(signing.placeOrder(ORDER, 'k-2', context.active())).resolves.toEqual({
        orderId: 'ord_real',
      });
      const [request] = received;
      if (!request) throw new Error('the API received nothing');
      const authorization = String(request.headers.authorization);
      const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
      expect(signedNames).toEqual([
        'content-type',
        'host',
        'idempotency-key',
        'x-amz-date',
        'x-amz-security-token',
      ]);
      expect(request.headers.host).toBe(`127.0.0.1:${port}`);
      // Recompute the signature from the received request alone, the way the service side does.
      const verifier = new SignatureV4({
        service: 'execute-api',
        region: 'eu-west-1',
        credentials,
        sha256: Sha256,
        applyChecksum: false,
      });
      const expected = await verifier.sign(
        {
          method: request.method,
          protocol: 'http:',
          hostname: '127.0.0.1',
          port,
          path: request.path,
          query: {},
          headers: Object.fromEntries(signedNames.map((name) => [name, String(request.headers[name])])),
          body: request.body,
        },
        { signingDate: NOW },
      );
      expect(authorization).toBe(expected.headers.authorization);
      expect(JSON.parse(request.body)).toEqual(ORDER);
    } finally {
      await new Promise((resolve) => api.close(resolve));
    }
  });
});
