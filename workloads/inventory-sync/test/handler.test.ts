import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { fakeLambdaContext } from '@securecart/testing/lambda-context';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.RELEASE_VERSION = '0.9.0';
  process.env.LOW_STOCK_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:low-stock';
  process.env.LOW_STOCK_THRESHOLD = '10';
});

const { handler } = await import('../src/handler');

const sns = mockClient(SNSClient);
const ctx = fakeLambdaContext('inventory-sync');

type Image = Record<string, AttributeValue>;
const item = (sku: string, quantity: number, extra: Image = {}): Image => ({
  sku: { S: sku },
  quantity: { N: String(quantity) },
  ...extra,
});

let seq = 100;
function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  newImage?: Image,
  oldImage?: Image,
): DynamoDBRecord {
  seq += 1;
  return {
    eventID: `e-${seq}`,
    eventName,
    dynamodb: {
      SequenceNumber: String(seq),
      ...(newImage ? { NewImage: newImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
    },
  };
}

const run = (...records: DynamoDBRecord[]) => handler({ Records: records }, ctx);
const publishedSkus = () =>
  sns.commandCalls(PublishCommand).map((c) => c.args[0].input.MessageAttributes?.sku?.StringValue);

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('inventory-sync handler', () => {
  it('publishes one alert when stock crosses below the threshold, with the exact message', async () => {
    const result = await run(
      record('MODIFY', item('SKU-1', 4, { name: { S: 'Kettle' } }), item('SKU-1', 12)),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:low-stock',
      Subject: 'Low stock: SKU-1',
      Message: JSON.stringify({
        type: 'LowStock',
        sku: 'SKU-1',
        quantity: 4,
        threshold: 10,
        name: 'Kettle',
        previousQuantity: 12,
        release: '0.9.0',
      }),
      MessageAttributes: { sku: { DataType: 'String', StringValue: 'SKU-1' } },
    });
  });

  it('does not alert for stock that stays low, stays high, is restocked or removed', async () => {
    await run(
      record('MODIFY', item('LOW', 3), item('LOW', 5)),
      record('MODIFY', item('HIGH', 40), item('HIGH', 50)),
      record('MODIFY', item('RESTOCK', 30), item('RESTOCK', 2)),
      record('REMOVE', undefined, item('GONE', 0)),
    );
    expect(publishedSkus()).toEqual([]);
  });

  it('alerts on a new item inserted below its own threshold', async () => {
    await run(
      record('INSERT', item('NEW-LOW', 2, { lowStockThreshold: { N: '3' } })),
      record('INSERT', item('NEW-OK', 5, { lowStockThreshold: { N: '3' } })),
    );
    expect(publishedSkus()).toEqual(['NEW-LOW']);
  });

  it('reports the first failed record and stops, leaving later records for the retry', async () => {
    sns
      .on(PublishCommand)
      .resolvesOnce({ MessageId: 'ok' })
      .rejectsOnce(new Error('Throttling'))
      .resolves({ MessageId: 'ok' });
    const first = record('MODIFY', item('A', 1), item('A', 20));
    const second = record('MODIFY', item('B', 1), item('B', 20));
    const third = record('MODIFY', item('C', 1), item('C', 20));
    const result = await run(first, second, third);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: second.dynamodb?.SequenceNumber }] });
    expect(publishedSkus()).toEqual(['A', 'B']);
  });

  it('skips malformed records instead of blocking the shard', async () => {
    const result = await run(
      record('MODIFY', { quantity: { N: '1' } }, item('X', 20)),
      record('MODIFY', item('Y', Number.NaN), item('Y', 20)),
      record('MODIFY', item('Z', 1), item('Z', 20)),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(publishedSkus()).toEqual(['Z']);
  });
});
