import type { Server } from 'node:http';
import type { ServiceTelemetry } from '@securecart/shared/container-telemetry';
import { createJsonServer, HttpError, type JsonRequest, type JsonResponse } from '@securecart/shared/http';
import type { ProductIndex, SearchQuery } from './search';

export const MAX_PAGE_SIZE = 50;

function integerParam(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, 'validation_failed', `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** Query string → SearchQuery; prices are integer minor units (cents), like the catalog. */
export function parseSearchQuery(params: URLSearchParams, categories: ReadonlySet<string>): SearchQuery {
  const q = params.get('q')?.trim();
  if (q && q.length > 200) throw new HttpError(400, 'validation_failed', 'q must be at most 200 characters');
  const category = params.get('category')?.trim() || undefined;
  if (category !== undefined && !categories.has(category)) {
    throw new HttpError(400, 'validation_failed', `unknown category "${category}"`, {
      categories: [...categories],
    });
  }
  const minPrice = integerParam(params, 'minPrice', 0, Number.MAX_SAFE_INTEGER);
  const maxPrice = integerParam(params, 'maxPrice', 0, Number.MAX_SAFE_INTEGER);
  if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) {
    throw new HttpError(400, 'validation_failed', 'minPrice must not exceed maxPrice');
  }
  const query: SearchQuery = {
    page: integerParam(params, 'page', 1, 10_000) ?? 1,
    pageSize: integerParam(params, 'pageSize', 1, MAX_PAGE_SIZE) ?? 10,
  };
  if (q) query.q = q;
  if (category !== undefined) query.category = category;
  if (minPrice !== undefined) query.minPrice = minPrice;
  if (maxPrice !== undefined) query.maxPrice = maxPrice;
  return query;
}

function search(request: JsonRequest, index: ProductIndex): JsonResponse {
  const query = parseSearchQuery(request.query, index.categories);
  return { status: 200, body: { query, ...index.search(query) } };
}

export function createSearchServer(telemetry: ServiceTelemetry, index: ProductIndex): Server {
  return createJsonServer({
    telemetry,
    routes: [{ method: 'GET', path: '/search', handler: (request) => search(request, index) }],
  });
}
