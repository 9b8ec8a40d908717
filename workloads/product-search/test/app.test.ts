import { startServer, testTelemetry } from '@securecart/testing/server';
import { describe, expect, it, vi } from 'vitest';
import catalog from '../data/catalog.json';
import { createSearchServer } from '../src/app';
import { ProductIndex } from '../src/search';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { telemetry } = testTelemetry('product-search', '8.0.0');
const app = await startServer(createSearchServer(telemetry, new ProductIndex(catalog)), telemetry);

describe('product-search HTTP API', () => {
  it('serves /health', async () => {
    expect((await app.request('/health')).body).toMatchObject({ status: 'ok', release: '8.0.0' });
  });

  it('searches with filters and pagination from the query string', async () => {
    const { status, body } = await app.request(
      '/search?q=wireless&category=electronics&maxPrice=6000&pageSize=2',
    );
    expect(status).toBe(200);
    expect(body.query).toEqual({
      q: 'wireless',
      category: 'electronics',
      maxPrice: 6000,
      page: 1,
      pageSize: 2,
    });
    expect(body.total).toBe(3);
    expect(body.totalPages).toBe(2);
    expect(body.results.map((p: { name: string }) => p.name)).toEqual([
      'Wireless Mouse',
      'Smart Kitchen Thermometer',
    ]);
  });

  it.each([
    ['/search?minPrice=-1', 'minPrice'],
    ['/search?minPrice=500&maxPrice=100', 'minPrice must not exceed maxPrice'],
    ['/search?pageSize=51', 'pageSize'],
    ['/search?page=0', 'page'],
    ['/search?category=toys', 'unknown category'],
  ])('rejects %s with 400', async (path, message) => {
    const { status, body } = await app.request(path);
    expect(status).toBe(400);
    expect(body.message).toContain(message);
  });
});
