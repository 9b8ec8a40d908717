import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Order, orderTotal, validateOrder } from '@securecart/shared/order';
import { createLambdaObservability, instrumentHandler } from '@securecart/shared/powertools';
import { type FraudScore, scoreOrder } from './rules';
import { VelocityStore } from './velocity';

export const obs = createLambdaObservability('fraud-detection');
const { logger, metrics, tracer } = obs;

export interface FraudDeps {
  velocity: VelocityStore;
  windowMinutes: number;
  now: () => Date;
}

export interface FraudResult extends FraudScore {
  orderId: string;
}

let deps: FraudDeps | undefined;

function defaultDeps(): FraudDeps {
  if (deps) return deps;
  const tableName = process.env.FRAUD_VELOCITY_TABLE?.trim();
  if (!tableName) throw new Error('fraud-detection is misconfigured: FRAUD_VELOCITY_TABLE is not set');
  const windowMinutes = Number(process.env.VELOCITY_WINDOW_MINUTES ?? '60');
  if (!Number.isInteger(windowMinutes) || windowMinutes <= 0) {
    throw new Error(
      `VELOCITY_WINDOW_MINUTES must be a positive integer, got "${process.env.VELOCITY_WINDOW_MINUTES}"`,
    );
  }
  const db = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
  deps = { velocity: new VelocityStore(db, tableName, windowMinutes), windowMinutes, now: () => new Date() };
  return deps;
}

/** Input: the fulfillment workflow's `{ orderId, order }`, the order in the shared contract's shape. */
export function parseFraudInput(event: unknown): { orderId: string; order: Order } {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (typeof e.orderId !== 'string' || e.orderId === '')
    throw new TypeError('fraud-detection: orderId is required');
  const validation = validateOrder(e.order);
  if (!validation.ok) {
    const issues = validation.issues.map((i) => `${i.field} ${i.message}`).join('; ');
    throw new TypeError(`fraud-detection: invalid order ${e.orderId}: ${issues}`);
  }
  return { orderId: e.orderId, order: validation.value };
}

async function readVelocity(customerId: string, now: Date, d: FraudDeps): Promise<number | undefined> {
  try {
    return await d.velocity.countRecent(customerId, now);
  } catch (error) {
    metrics.addMetric('VelocityReadFailures', MetricUnit.Count, 1);
    logger.warn('could not read order velocity; the order goes to review', { error: error as Error });
    return undefined;
  }
}

export async function assessOrder(event: unknown, d: FraudDeps): Promise<FraudResult> {
  const { orderId, order } = parseFraudInput(event);
  const now = d.now();
  const recentOrders = await readVelocity(order.customerId, now, d);
  const result = scoreOrder({
    total: orderTotal(order),
    currency: order.currency,
    recentOrders,
    windowMinutes: d.windowMinutes,
    billingCountry: order.billingAddress.country,
    shippingCountry: order.shippingAddress.country,
    billingPostalCode: order.billingAddress.postalCode,
    shippingPostalCode: order.shippingAddress.postalCode,
  });
  await d.velocity.record(order.customerId, orderId, now).catch((error: unknown) => {
    metrics.addMetric('VelocityWriteFailures', MetricUnit.Count, 1);
    logger.warn('could not record order velocity', { error: error as Error });
  });
  tracer.putAnnotation('fraudDecision', result.decision);
  metrics.addMetric(`Decision_${result.decision}`, MetricUnit.Count, 1);
  metrics.addMetric('FraudScore', MetricUnit.NoUnit, result.score);
  logger.info('order scored', {
    orderId,
    score: result.score,
    decision: result.decision,
    reasons: result.reasons,
  });
  return { orderId, ...result };
}

export const handler = instrumentHandler(obs, async (event: unknown) => assessOrder(event, defaultDeps()));
