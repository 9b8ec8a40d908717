import type { Server } from 'node:http';
import type { ServiceTelemetry } from '@securecart/shared/container-telemetry';
import { createJsonServer, HttpError, type JsonRequest, type JsonResponse } from '@securecart/shared/http';
import type { Recommender } from './recommender';

/** The service name in traces and the EMF `service` dimension its gating alarms select (infra/aws). */
export const SERVICE_NAME = 'recommendations';

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 20;

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new HttpError(400, 'validation_failed', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** GET /recommendations?customerId=…&limit=… */
function recommendations(
  request: JsonRequest,
  recommender: Recommender,
  telemetry: ServiceTelemetry,
): JsonResponse {
  const customerId = request.query.get('customerId')?.trim();
  if (!customerId || customerId.length > 64) {
    throw new HttpError(
      400,
      'validation_failed',
      'customerId query parameter is required (at most 64 chars)',
    );
  }
  const span = telemetry.tracing.tracer.startSpan('recommend', {}, request.traceContext);
  const result = recommender.recommend(customerId, parseLimit(request.query.get('limit')));
  span.setAttributes({
    'recommendations.strategy': result.strategy,
    'recommendations.count': result.recommendations.length,
  });
  span.end();
  return { status: 200, body: result };
}

export function createRecommendationsServer(telemetry: ServiceTelemetry, recommender: Recommender): Server {
  return createJsonServer({
    telemetry,
    routes: [
      {
        method: 'GET',
        path: '/recommendations',
        handler: (req) => recommendations(req, recommender, telemetry),
      },
    ],
  });
}
