import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { fakeLambdaContext } from '@securecart/testing/lambda-context';
import { orderPayload } from '@securecart/testing/orders';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.RELEASE_VERSION = '1.4.0';
  process.env.FULFILLMENT_STATE_MACHINE_ARN =
    'arn:aws:states:us-east-1:123456789012:stateMachine:fulfillment';
  process.env.EVENT_BUS_NAME = 'securecart';
});

const { handler, obs } = await import('../src/handler');

const sfn = mockClient(SFNClient);
const events = mockClient(EventBridgeClient);

function request(body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /orders',
    rawPath: '/orders',
    rawQueryString: '',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {} as APIGatewayProxyEventV2['requestContext'],
  };
}

async function call(event: APIGatewayProxyEventV2) {
  const result = await handler(event, fakeLambdaContext('order-processing'));
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') };
}

beforeEach(() => {
  sfn.reset();
  events.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});
afterEach(() => vi.restoreAllMocks());

describe('order-processing handler', () => {
  it('starts fulfillment and publishes OrderPlaced with the exact inputs, then answers 202', async () => {
    const { status, body } = await call(request(orderPayload(), { 'idempotency-key': 'k-1' }));

    expect(status).toBe(202);
    expect(body.orderId).toMatch(/^ord_[0-9a-f]{32}$/);
    expect(body.total).toBe(3999 + 2 * 899 + 1159 + 499);
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start?.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:fulfillment');
    expect(start?.name).toBe(body.orderId);
    // The idempotent input is the order only: a retry on another version sends the identical input.
    const input = JSON.parse(start?.input ?? '');
    expect(Object.keys(input)).toEqual(['orderId', 'total', 'order']);
    expect(input).toMatchObject({ orderId: body.orderId, total: 7455 });
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      EventBusName: 'securecart',
      Source: 'securecart.orders',
      DetailType: 'OrderPlaced',
    });
    expect(JSON.parse(entry?.Detail ?? '')).toEqual({
      orderId: body.orderId,
      customerId: 'cust-1',
      currency: 'GBP',
      total: 7455,
      itemCount: 3,
      release: '1.4.0',
    });
  });

  it('derives the same order id from the same idempotency key, and different ids without one', async () => {
    const a = await call(request(orderPayload(), { 'idempotency-key': 'same' }));
    const b = await call(request(orderPayload(), { 'idempotency-key': 'same' }));
    const c = await call(request(orderPayload()));
    const d = await call(request(orderPayload()));
    expect(a.body.orderId).toBe(b.body.orderId);
    expect(c.body.orderId).not.toBe(d.body.orderId);
  });

  it('answers a retry of a placed order with the original result, whichever version placed it', async () => {
    const first = await call(request(orderPayload(), { 'idempotency-key': 'retry-1' }));
    const original = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    sfn.reset();
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ input: original?.input, status: 'SUCCEEDED' });
    const retry = await call(request(orderPayload(), { 'idempotency-key': 'retry-1' }));
    expect(retry).toEqual(first);
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:fulfillment:${first.body.orderId}`,
    });
  });

  it('answers 409 when the key was used for a different order (a retry can never succeed)', async () => {
    const first = await call(request(orderPayload(), { 'idempotency-key': 'retry-2' }));
    const original = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    sfn.reset();
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ input: original?.input });
    const other = await call(
      request(orderPayload({ customerId: 'cust-1', tax: 1 }), { 'idempotency-key': 'retry-2' }),
    );
    expect(other).toEqual({
      status: 409,
      body: {
        error: 'idempotency_conflict',
        message: `idempotency key already used for a different order (${first.body.orderId})`,
        orderId: first.body.orderId,
      },
    });
  });

  it('rejects malformed JSON with 400 invalid_json and calls nothing', async () => {
    const { status, body } = await call(request('{"items": ['));
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_json');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('lists every validation issue by field', async () => {
    const bad = orderPayload({
      currency: 'JPY',
      items: [
        { sku: 'A', quantity: 0, unitPrice: 10 },
        { sku: 'A', quantity: 1, unitPrice: 1.5 },
      ],
      billingAddress: { name: 'X', line1: 'Y', city: 'Z', postalCode: '1', country: 'gb' },
    });
    const { status, body } = await call(request(bad));
    expect(status).toBe(400);
    expect(body.error).toBe('validation_failed');
    const fields = body.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'currency',
        'items[0].quantity',
        'items[1].sku',
        'items[1].unitPrice',
        'billingAddress.country',
      ]),
    );
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('rejects an empty cart and a missing address', async () => {
    const { body } = await call(request(orderPayload({ items: [], shippingAddress: undefined })));
    expect(body.issues).toEqual(
      expect.arrayContaining([
        { field: 'items', message: 'must be a non-empty array' },
        { field: 'shippingAddress', message: 'is required and must be an object' },
      ]),
    );
  });

  it('answers 503 and does not announce the order when the workflow cannot start', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('ThrottlingException'));
    const { status, body } = await call(request(orderPayload()));
    expect(status).toBe(503);
    expect(body.error).toBe('service_unavailable');
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('answers 503 when EventBridge reports a failed entry', async () => {
    events
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const { status } = await call(request(orderPayload()));
    expect(status).toBe(503);
  });

  it('annotates the trace with the release', async () => {
    const annotate = vi.spyOn(obs.tracer, 'putAnnotation');
    await call(request(orderPayload()));
    expect(annotate).toHaveBeenCalledWith('release', '1.4.0');
  });
});
