import { createHash, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
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

/** The Idempotency-Key was used before for a different order: retrying can never succeed (the caller answers 409). */
export class IdempotencyConflict extends Error {
  constructor(readonly orderId: string) {
    super(`idempotency key already used for a different order (${orderId})`);
    this.name = 'IdempotencyConflict';
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

/**
 * The workflow's input: only what the order is, never who handled the request. A retry that lands on another
 * version of this function (during a canary) then sends the identical input, which Step Functions treats as
 * the same execution.
 */
function fulfillmentInput(orderId: string, total: number, order: Order): string {
  return JSON.stringify({ orderId, total, order });
}

/** `…:stateMachine:<name>[:alias]` → `…:execution:<name>:<executionName>` (executions never carry the alias). */
function executionArn(stateMachineArn: string, executionName: string): string {
  const [prefix, name] = stateMachineArn.split(':stateMachine:') as [string, string];
  return `${prefix}:execution:${name.split(':')[0]}:${executionName}`;
}

export async function placeOrder(
  order: Order,
  idempotencyKey: string | undefined,
  deps: PlaceOrderDeps,
): Promise<{ orderId: string; total: number }> {
  const orderId = orderIdFor(order.customerId, idempotencyKey, deps.newId ?? randomUUID);
  const total = orderTotal(order);
  const input = fulfillmentInput(orderId, total, order);
  try {
    await deps.sfn.send(
      new StartExecutionCommand({ stateMachineArn: deps.config.stateMachineArn, name: orderId, input }),
    );
  } catch (error) {
    // A standard workflow answers a repeated name with ExecutionAlreadyExists once the first execution has
    // closed (or when the input differs): the order was placed before; answer with that original result.
    if (!(error instanceof ExecutionAlreadyExists)) {
      throw new DownstreamFailure('start-fulfillment', `could not start fulfillment for ${orderId}`, {
        cause: error,
      });
    }
    const original = await originalOrder(orderId, deps);
    if (!isDeepStrictEqual(original.order, order)) throw new IdempotencyConflict(orderId);
    await publishOrderPlaced(orderId, original.total, order, deps);
    return { orderId, total: original.total };
  }
  await publishOrderPlaced(orderId, total, order, deps);
  return { orderId, total };
}

async function originalOrder(
  orderId: string,
  deps: PlaceOrderDeps,
): Promise<{ order: unknown; total: number }> {
  try {
    const execution = await deps.sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArn(deps.config.stateMachineArn, orderId) }),
    );
    const input = JSON.parse(execution.input ?? '{}') as { order?: unknown; total?: number };
    return { order: input.order, total: Number(input.total) };
  } catch (error) {
    throw new DownstreamFailure(
      'start-fulfillment',
      `could not read the existing fulfillment of ${orderId}`,
      {
        cause: error,
      },
    );
  }
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
