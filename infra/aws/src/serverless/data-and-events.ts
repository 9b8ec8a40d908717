import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { acknowledge } from '../nag';
import { APP } from '../naming';

/** The tables, topics and queue the serverless workloads read and write. */
export interface ServerlessData {
  readonly inventoryTable: dynamodb.TableV2;
  readonly velocityTable: dynamodb.TableV2;
  readonly lowStockTopic: sns.Topic;
  readonly customerTopic: sns.Topic;
  readonly supportTopic: sns.Topic;
  readonly streamDlq: sqs.Queue;
}

const TOPICS = [
  { id: 'LowStockTopic', name: 'low-stock', displayName: 'SecureCart low stock' },
  { id: 'CustomerTopic', name: 'customer-notifications', displayName: 'SecureCart order updates' },
  { id: 'SupportTopic', name: 'support', displayName: 'SecureCart support escalations' },
] as const;

export function createServerlessData(scope: Construct, env: EnvironmentConfig, key: kms.Key): ServerlessData {
  const prefix = `${APP}-${env.name}`;
  const [lowStockTopic, customerTopic, supportTopic] = TOPICS.map(
    (t) =>
      new sns.Topic(scope, t.id, {
        topicName: `${prefix}-${t.name}`,
        displayName: t.displayName,
        masterKey: key,
        enforceSSL: true,
      }),
  ) as [sns.Topic, sns.Topic, sns.Topic];
  const streamDlq = new sqs.Queue(scope, 'InventoryStreamDlq', {
    queueName: `${prefix}-inventory-sync-dlq`,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(streamDlq, [
    {
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue IS the dead-letter destination of the inventory stream mapping (Lambda on-failure ' +
        'destination, not a redrive policy, so cdk-nag cannot see it); a DLQ for the DLQ would only move the problem.',
    },
  ]);
  return {
    inventoryTable: new dynamodb.TableV2(scope, 'InventoryTable', {
      tableName: `${prefix}-inventory`,
      partitionKey: { name: 'sku', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: env.name === 'production',
      removalPolicy: RemovalPolicy.RETAIN,
    }),
    velocityTable: new dynamodb.TableV2(scope, 'FraudVelocityTable', {
      tableName: `${prefix}-fraud-velocity`,
      partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'placedAt', type: dynamodb.AttributeType.NUMBER },
      timeToLiveAttribute: 'expiresAt',
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    }),
    lowStockTopic,
    customerTopic,
    supportTopic,
    streamDlq,
  };
}

/** The order event bus and its `OrderPlaced` rule: "we received your order" on the customer topic. */
export function createOrderEvents(
  scope: Construct,
  env: EnvironmentConfig,
  key: kms.Key,
  customerTopic: sns.ITopic,
): events.EventBus {
  const prefix = `${APP}-${env.name}`;
  const bus = new events.EventBus(scope, 'OrderEvents', { eventBusName: `${prefix}-orders` });
  const ruleName = `${prefix}-order-placed`;
  new events.Rule(scope, 'OrderPlacedRule', {
    ruleName,
    eventBus: bus,
    description: 'OrderPlaced events from order-processing: tell the customer the order was received',
    eventPattern: { source: ['securecart.orders'], detailType: ['OrderPlaced'] },
    targets: [
      new targets.SnsTopic(customerTopic, {
        message: events.RuleTargetInput.fromObject({
          orderId: events.EventField.fromPath('$.detail.orderId'),
          customerId: events.EventField.fromPath('$.detail.customerId'),
          status: 'RECEIVED',
        }),
      }),
    ],
  });
  // EventBridge publishes to the encrypted topic with the key; only for this rule.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      resources: ['*'],
      conditions: {
        StringEquals: {
          'aws:SourceArn': `arn:${Stack.of(scope).partition}:events:${env.region}:${env.account}:rule/${prefix}-orders/${ruleName}`,
        },
      },
    }),
  );
  return bus;
}
