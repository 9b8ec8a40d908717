import { createServer } from 'node:http';
import { context, SpanKind } from '@opentelemetry/api';
import { listen } from '@securecart/shared/http';
import { ADDRESS } from '@securecart/testing/orders';
import { postJson, startServer, testTelemetry } from '@securecart/testing/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createCheckoutServer } from '../src/app';
import { type Fetch, OrderClient } from '../src/order-client';
import { ORDER } from './order-fixture';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}
const sent: Sent[] = [];
let reply: () => Promise<Response> = async () => Response.json({ orderId: 'ord_abc' }, { status: 202 });
const fakeFetch: Fetch = async (url, init) => {
  sent.push({
    url: String(url),
    headers: init?.headers as Record<string, string>,
    body: JSON.parse(String(init?.body)),
  });
  return reply();
};

const { telemetry, spans } = testTelemetry('checkout', '5.0.0');
const orders = new OrderClient({
  baseUrl: 'https://orders.example.test/prod/',
  tracing: telemetry.tracing,
  fetch: fakeFetch,
});
const app = await startServer(
  createCheckoutServer({ telemetry, orders, newKey: () => 'generated-key' }),
  telemetry,
);

const cart = (overrides: Record<string, unknown> = {}) => ({
  customerId: 'cust-7',
  currency: 'GBP',
  items: [{ sku: 'SKU-KETTLE', quantity: 2, unitPrice: 2000 }],
  shippingAddress: ADDRESS,
  paymentToken: 'tok_visa',
  ...overrides,
});

beforeEach(() => {
  sent.length = 0;
  spans.reset();
  reply = async () => Response.json({ orderId: 'ord_abc' }, { status: 202 });
});

describe('POST /checkout', () => {
  it('prices the cart and places the order with totals, idempotency key and trace header', async () => {
    const { status, body } = await app.request(
      '/checkout',
      postJson(cart(), { 'idempotency-key': 'cart-42' }),
    );
    expect(status).toBe(202);
    expect(body).toEqual({
      orderId: 'ord_abc',
      currency: 'GBP',
      subtotal: 4000,
      tax: 800,
      shipping: 499,
      total: 5299,
    });
    expect(sent).toHaveLength(1);
    const call = sent[0];
    expect(call?.url).toBe('https://orders.example.test/prod/orders');
    expect(call?.headers['idempotency-key']).toBe('cart-42');
    expect(call?.body).toMatchObject({
      customerId: 'cust-7',
      tax: 800,
      shipping: 499,
      billingAddress: ADDRESS,
    });
    const client = spans.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT);
    const traceId = client?.spanContext().traceId ?? '';
    expect(call?.headers['x-amzn-trace-id']).toBe(
      `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${client?.spanContext().spanId};Sampled=1`,
    );
    expect(client?.attributes.release).toBe('5.0.0');
  });

  it('generates an idempotency key when the client sends none', async () => {
    await app.request('/checkout', postJson(cart({ shippingMethod: 'express' })));
    expect(sent[0]?.headers['idempotency-key']).toBe('generated-key');
    expect(sent[0]?.body.shipping).toBe(1499);
  });

  it('rejects an invalid cart with field issues and does not call order-processing', async () => {
    const { status, body } = await app.request(
      '/checkout',
      postJson(cart({ items: [{ sku: 'A', quantity: -1, unitPrice: 5 }], shippingMethod: 'drone' })),
    );
    expect(status).toBe(400);
    expect(body.details).toEqual([{ field: 'shippingMethod', message: 'must be one of standard, express' }]);
    const second = await app.request(
      '/checkout',
      postJson(cart({ items: [{ sku: 'A', quantity: -1, unitPrice: 5 }] })),
    );
    expect(second.body.details.map((i: { field: string }) => i.field)).toEqual(['items[0].quantity']);
    expect(sent).toHaveLength(0);
  });

  it('rejects destinations without a tax rule', async () => {
    const { status, body } = await app.request(
      '/checkout',
      postJson(cart({ shippingAddress: { ...ADDRESS, country: 'BR' } })),
    );
    expect(status).toBe(400);
    expect(body.error).toBe('unsupported_destination');
  });

  it('passes order-processing validation issues through as 400 order_rejected', async () => {
    reply = async () =>
      Response.json({ error: 'validation_failed', issues: [{ field: 'x', message: 'y' }] }, { status: 400 });
    const { status, body } = await app.request('/checkout', postJson(cart()));
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'order_rejected', details: [{ field: 'x', message: 'y' }] });
  });

  it.each([
    ['a 503', async () => Response.json({ error: 'service_unavailable' }, { status: 503 })],
    ['a network error', async () => Promise.reject(new TypeError('fetch failed'))],
  ])('answers 502 when order-processing gives %s', async (_label, fn) => {
    reply = fn;
    const { status, body } = await app.request('/checkout', postJson(cart()));
    expect(status).toBe(502);
    expect(body.error).toBe('order_service_unavailable');
  });
});

describe('OrderClient over real HTTP', () => {
  it('talks to an order API on 127.0.0.1 with the global fetch', async () => {
    const received: string[] = [];
    const api = createServer((req, res) => {
      received.push(`${req.method} ${req.url} ${req.headers['idempotency-key']}`);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"orderId":"ord_real"}');
    });
    const port = await listen(api, 0, '127.0.0.1');
    try {
      const client = new OrderClient({ baseUrl: `http://127.0.0.1:${port}`, tracing: telemetry.tracing });
      const order = ORDER;
      await expect(client.placeOrder(order, 'k-1', context.active())).resolves.toEqual({
        orderId: 'ord_real',
      });
      expect(received).toEqual(['POST /orders k-1']);
    } finally {
      await new Promise((resolve) => api.close(resolve));
    }
  });
});
