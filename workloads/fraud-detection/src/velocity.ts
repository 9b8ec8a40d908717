import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Order velocity per customer in a DynamoDB table:
 * partition key `customerId` (S), sort key `placedAt` (N, epoch milliseconds), TTL attribute `expiresAt`
 * (N, epoch seconds). Each scored order is recorded, so the next one sees it.
 */
export class VelocityStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly windowMinutes: number,
  ) {}

  /** Orders placed by the customer in the window ending at `now`. */
  async countRecent(customerId: string, now: Date): Promise<number> {
    const since = now.getTime() - this.windowMinutes * 60_000;
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'customerId = :customerId AND placedAt >= :since',
          ExpressionAttributeValues: { ':customerId': customerId, ':since': since },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  async record(customerId: string, orderId: string, now: Date): Promise<void> {
    const expiresAt = Math.ceil(now.getTime() / 1000) + this.windowMinutes * 60 * 2;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { customerId, placedAt: now.getTime(), orderId, expiresAt },
      }),
    );
  }
}
