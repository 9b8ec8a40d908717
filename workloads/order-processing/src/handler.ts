import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { validateOrder } from '@securecart/shared/order';
import { createLambdaObservability, instrumentHandler } from '@securecart/shared/powertools';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from './config';
import { DownstreamFailure, IdempotencyConflict, type PlaceOrderDeps, placeOrder } from './place-order';

export const obs = createLambdaObservability('order-processing');
const { logger, metrics, tracer } = obs;

let deps: PlaceOrderDeps | undefined;

function defaultDeps(): PlaceOrderDeps {
  deps ??= {
    sfn: tracer.captureAWSv3Client(new SFNClient({})),
    events: tracer.captureAWSv3Client(new EventBridgeClient({})),
    config: loadConfig(process.env),
    release: obs.release,
  };
  return deps;
}

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function parseBody(event: APIGatewayProxyEventV2): { ok: true; value: unknown } | { ok: false } {
  if (!event.body) return { ok: true, value: undefined };
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const value = event.headers?.[name];
  return value?.trim() ? value.trim() : undefined;
}

/** POST /orders: validate, start the fulfillment workflow, announce OrderPlaced, answer 202. */
export async function handleOrder(
  event: APIGatewayProxyEventV2,
  orderDeps: PlaceOrderDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const body = parseBody(event);
  if (!body.ok) return reject('invalid_json', 'request body is not valid JSON');
  const validation = validateOrder(body.value);
  if (!validation.ok) return reject('validation_failed', 'the order is invalid', validation.issues);
  try {
    const { orderId, total } = await placeOrder(
      validation.value,
      header(event, 'idempotency-key'),
      orderDeps,
    );
    metrics.addMetric('OrdersAccepted', MetricUnit.Count, 1);
    metrics.addMetric('OrderValueMinorUnits', MetricUnit.NoUnit, total);
    logger.info('order accepted', { orderId, total, currency: validation.value.currency });
    return json(202, { orderId, status: 'ACCEPTED', total, currency: validation.value.currency });
  } catch (error) {
    if (error instanceof IdempotencyConflict) {
      metrics.addMetric('OrdersRejected', MetricUnit.Count, 1);
      return json(409, { error: 'idempotency_conflict', message: error.message, orderId: error.orderId });
    }
    if (!(error instanceof DownstreamFailure)) throw error;
    metrics.addMetric('DownstreamFailures', MetricUnit.Count, 1);
    logger.error(error.message, { step: error.step, error: error.cause as Error });
    return json(503, { error: 'service_unavailable', message: 'please retry with the same Idempotency-Key' });
  }
}

function reject(error: string, message: string, issues?: unknown): APIGatewayProxyStructuredResultV2 {
  metrics.addMetric('OrdersRejected', MetricUnit.Count, 1);
  return json(400, issues === undefined ? { error, message } : { error, message, issues });
}

export const handler = instrumentHandler(obs, async (event: APIGatewayProxyEventV2) =>
  handleOrder(event, defaultDeps()),
);
