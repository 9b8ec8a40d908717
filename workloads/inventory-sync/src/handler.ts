import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SNSClient } from '@aws-sdk/client-sns';
import { createLambdaObservability, instrumentHandler } from '@securecart/shared/powertools';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type SyncDeps, syncBatch } from './sync';

export const obs = createLambdaObservability('inventory-sync');
const { logger, metrics, tracer } = obs;

export const DEFAULT_LOW_STOCK_THRESHOLD = 10;

let deps: SyncDeps | undefined;

function defaultDeps(): SyncDeps {
  if (deps) return deps;
  const topicArn = process.env.LOW_STOCK_TOPIC_ARN?.trim();
  if (!topicArn) throw new Error('inventory-sync is misconfigured: LOW_STOCK_TOPIC_ARN is not set');
  const rawThreshold = process.env.LOW_STOCK_THRESHOLD ?? String(DEFAULT_LOW_STOCK_THRESHOLD);
  const defaultThreshold = Number(rawThreshold);
  if (!Number.isInteger(defaultThreshold) || defaultThreshold < 0) {
    throw new Error(`LOW_STOCK_THRESHOLD must be a non-negative integer, got "${rawThreshold}"`);
  }
  deps = {
    sns: tracer.captureAWSv3Client(new SNSClient({})),
    topicArn,
    defaultThreshold,
    release: obs.release,
    onMalformed: (record, error) => {
      metrics.addMetric('MalformedRecords', MetricUnit.Count, 1);
      logger.error('skipping malformed inventory record', { eventID: record.eventID, reason: error.message });
    },
    onPublished: (alert) => {
      metrics.addMetric('LowStockAlerts', MetricUnit.Count, 1);
      logger.info('low stock alert published', { ...alert });
    },
  };
  return deps;
}

export const handler = instrumentHandler(
  obs,
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const result = await syncBatch(event.Records, defaultDeps());
    metrics.addMetric('RecordsFailed', MetricUnit.Count, result.batchItemFailures.length);
    return result;
  },
);
