import { startServer, testTelemetry } from '@securecart/testing/server';
import { describe, expect, it, vi } from 'vitest';
import { createRecommendationsServer } from '../src/app';
import { Recommender } from '../src/recommender';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const recommender = new Recommender({
  products: { A: 'Coffee', B: 'Grinder', C: 'Filter' },
  baskets: [
    { customerId: 'u1', items: ['A', 'B'] },
    { customerId: 'u2', items: ['A', 'C'] },
  ],
});
const { telemetry, spans } = testTelemetry('recommendations', '4.2.0');
const app = await startServer(createRecommendationsServer(telemetry, recommender), telemetry);

describe('recommendations HTTP API', () => {
  it('serves /health', async () => {
    expect((await app.request('/health')).body).toEqual({
      status: 'ok',
      service: 'recommendations',
      release: '4.2.0',
    });
  });

  it('returns recommendations for a customer and traces the work under the request span', async () => {
    spans.reset();
    const { status, body } = await app.request('/recommendations?customerId=u1');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      customerId: 'u1',
      strategy: 'co-occurrence',
      recommendations: [{ sku: 'C' }],
    });
    const [inner, server] = spans.getFinishedSpans();
    expect(inner?.name).toBe('recommend');
    expect(inner?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(inner?.attributes).toMatchObject({
      release: '4.2.0',
      'recommendations.strategy': 'co-occurrence',
    });
  });

  it.each([
    ['/recommendations', 'customerId'],
    ['/recommendations?customerId=u1&limit=0', 'limit'],
    ['/recommendations?customerId=u1&limit=abc', 'limit'],
    ['/recommendations?customerId=u1&limit=21', 'limit'],
  ])('rejects %s with 400 naming %s', async (path, word) => {
    const { status, body } = await app.request(path);
    expect(status).toBe(400);
    expect(body.message).toContain(word);
  });
});
