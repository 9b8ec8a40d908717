import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { type LowStockAlert, lowStockAlertFor, MalformedRecord } from './stock';

export interface SyncDeps {
  sns: SNSClient;
  topicArn: string;
  defaultThreshold: number;
  release: string;
  onMalformed: (record: DynamoDBRecord, error: MalformedRecord) => void;
  onPublished: (alert: LowStockAlert) => void;
}

async function publish(alert: LowStockAlert, deps: SyncDeps): Promise<void> {
  await deps.sns.send(
    new PublishCommand({
      TopicArn: deps.topicArn,
      Subject: `Low stock: ${alert.sku}`.slice(0, 100),
      Message: JSON.stringify({ type: 'LowStock', ...alert, release: deps.release }),
      MessageAttributes: { sku: { DataType: 'String', StringValue: alert.sku } },
    }),
  );
}

/**
 * Processes a stream batch in order. Stream batches are retried from the lowest failed sequence number, so
 * at the first record that fails to publish we stop and report it: Lambda checkpoints everything before it
 * and redelivers it and everything after, without re-sending alerts we already sent.
 */
export async function syncBatch(
  records: readonly DynamoDBRecord[],
  deps: SyncDeps,
): Promise<DynamoDBBatchResponse> {
  for (const record of records) {
    let alert: LowStockAlert | undefined;
    try {
      alert = lowStockAlertFor(record, deps.defaultThreshold);
    } catch (error) {
      if (!(error instanceof MalformedRecord)) throw error;
      deps.onMalformed(record, error);
      continue;
    }
    if (!alert) continue;
    try {
      await publish(alert, deps);
      deps.onPublished(alert);
    } catch {
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      if (!sequenceNumber)
        throw new Error(`publish failed for ${alert.sku} and the record has no SequenceNumber`);
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
}
