import { createHash, randomUUID } from 'node:crypto';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { type Order, orderTotal } from '@securecart/shared/order';
import type { OrderProcessingConfig } from './config';

export const EVENT_SOURCE = 'securecart.orders';
export const ORDER_PLACED = 'OrderPlaced';

export interface PlaceOrderDeps {
  sfn: SFNClient;
  events: EventBridgeClient;
  config: OrderProcessingConfig;
  release: string;
  newId?: () => string;
}

/** Thrown when a downstream AWS call fails; the caller answers 503 so the client retries with its key. */
export class DownstreamFailure extends Error {
  constructor(
    readonly step: 'start-fulfillment' | 'publish-order-placed',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DownstreamFailure';
  }
}

/**
 * Same customer + Idempotency-Key → same order id → same execution name. Step Functions (standard workflows)
 * treats StartExecution with an existing name and identical input as a no-op, so client retries are safe.
 */
export function orderIdFor(
  customerId: string,
  idempotencyKey: string | undefined,
  newId: () => string,
): string {
  if (!idempotencyKey) return `ord_${newId().replaceAll('-', '')}`;
  const digest = createHash('sha256').update(`${customerId}\n${idempotencyKey}`).digest('hex');
  return `ord_${digest.slice(0, 32)}`;
}

export async function placeOrder(
  order: Order,
  idempotencyKey: string | undefined,
  deps: PlaceOrderDeps,
): Promise<{ orderId: string; total: number }> {
  const orderId = orderIdFor(order.customerId, idempotencyKey, deps.newId ?? randomUUID);
  const total = orderTotal(order);
  try {
    await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deps.config.stateMachineArn,
        name: orderId,
        input: JSON.stringify({ orderId, total, order, release: deps.release }),
      }),
    );
  } catch (error) {
    throw new DownstreamFailure('start-fulfillment', `could not start fulfillment for ${orderId}`, {
      cause: error,
    });
  }
  await publishOrderPlaced(orderId, total, order, deps);
  return { orderId, total };
}

async function publishOrderPlaced(orderId: string, total: number, order: Order, deps: PlaceOrderDeps) {
  const detail = {
    orderId,
    customerId: order.customerId,
    currency: order.currency,
    total,
    itemCount: order.items.reduce((n, item) => n + item.quantity, 0),
    release: deps.release,
  };
  let failure: string | undefined;
  try {
    const result = await deps.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: deps.config.eventBusName,
            Source: EVENT_SOURCE,
            DetailType: ORDER_PLACED,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    const entry = result.Entries?.[0];
    if ((result.FailedEntryCount ?? 0) > 0)
      failure = `${entry?.ErrorCode ?? 'unknown'}: ${entry?.ErrorMessage}`;
  } catch (error) {
    throw new DownstreamFailure('publish-order-placed', `could not publish OrderPlaced for ${orderId}`, {
      cause: error,
    });
  }
  if (failure) {
    throw new DownstreamFailure(
      'publish-order-placed',
      `EventBridge rejected OrderPlaced for ${orderId}: ${failure}`,
    );
  }
}
