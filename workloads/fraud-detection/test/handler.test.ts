import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { fakeLambdaContext } from '@securecart/testing/lambda-context';
import { ADDRESS, orderPayload } from '@securecart/testing/orders';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.RELEASE_VERSION = '3.1.0';
  process.env.FRAUD_VELOCITY_TABLE = 'fraud-velocity';
  process.env.VELOCITY_WINDOW_MINUTES = '30';
});

const { handler, obs } = await import('../src/handler');

const ddb = mockClient(DynamoDBDocumentClient);
const ctx = fakeLambdaContext('fraud-detection');
const event = (order = orderPayload()) => ({ orderId: 'ord_9', order });

beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Count: 0 });
  ddb.on(PutCommand).resolves({});
});

describe('fraud-detection handler', () => {
  it('queries the velocity window and records the order with the exact inputs', async () => {
    vi.useFakeTimers({ now: new Date('2025-03-01T12:00:00Z'), toFake: ['Date'] });
    try {
      const result = await handler(event(), ctx);
      expect(result).toEqual({ orderId: 'ord_9', score: 0, decision: 'allow', reasons: [] });
    } finally {
      vi.useRealTimers();
    }
    const now = Date.parse('2025-03-01T12:00:00Z');
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: 'fraud-velocity',
      KeyConditionExpression: 'customerId = :customerId AND placedAt >= :since',
      ExpressionAttributeValues: { ':customerId': 'cust-1', ':since': now - 30 * 60_000 },
      Select: 'COUNT',
      ExclusiveStartKey: undefined,
    });
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: 'fraud-velocity',
      Item: { customerId: 'cust-1', placedAt: now, orderId: 'ord_9', expiresAt: now / 1000 + 3600 },
    });
  });

  it('sums counts across query pages', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Count: 3, LastEvaluatedKey: { customerId: 'cust-1', placedAt: 1 } })
      .resolvesOnce({ Count: 3 });
    const result = await handler(event(), ctx);
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      customerId: 'cust-1',
      placedAt: 1,
    });
    expect(result.reasons[0]).toMatchObject({ rule: 'velocity', points: 40 });
  });

  it('denies a large, fast order shipped abroad and explains each rule', async () => {
    ddb.on(QueryCommand).resolves({ Count: 4 });
    const order = orderPayload({
      items: [{ sku: 'SKU-TV', quantity: 3, unitPrice: 90_000 }],
      billingAddress: { ...ADDRESS, country: 'US', postalCode: '10001' },
    });
    const result = await handler(event(order), ctx);
    expect(result.decision).toBe('deny');
    expect(result.score).toBe(90);
    expect(result.reasons.map((r) => [r.rule, r.points])).toEqual([
      ['amount', 40],
      ['velocity', 20],
      ['address_mismatch', 30],
    ]);
  });

  it('sends the order to review when DynamoDB cannot be read', async () => {
    ddb.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const result = await handler(event(), ctx);
    expect(result.decision).toBe('review');
    expect(result.reasons[0]?.rule).toBe('velocity_unavailable');
  });

  it('still answers when recording velocity fails', async () => {
    ddb.on(PutCommand).rejects(new Error('boom'));
    await expect(handler(event(), ctx)).resolves.toMatchObject({ decision: 'allow' });
  });

  it('rejects an event without a valid order', async () => {
    await expect(handler({ orderId: 'ord_1', order: { items: [] } }, ctx)).rejects.toThrow(
      /invalid order ord_1/,
    );
    await expect(handler({ order: orderPayload() }, ctx)).rejects.toThrow(/orderId is required/);
  });

  it('annotates the trace with release and decision', async () => {
    const annotate = vi.spyOn(obs.tracer, 'putAnnotation');
    await handler(event(), ctx);
    expect(annotate).toHaveBeenCalledWith('release', '3.1.0');
    expect(annotate).toHaveBeenCalledWith('fraudDecision', 'allow');
  });
});
