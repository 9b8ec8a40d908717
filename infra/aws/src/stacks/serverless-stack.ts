import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { asInterface } from '../compat';
import type { EnvironmentConfig } from '../config';
import { CanaryLambda, type CanaryLambdaProps } from '../constructs/canary-lambda';
import { FulfillmentStateMachine } from '../constructs/fulfillment-state-machine';
import { acknowledge } from '../nag';
import { APP, resourceName } from '../naming';
import { createOrderEvents, createServerlessData, type ServerlessData } from '../serverless/data-and-events';
import { createOrderApi } from '../serverless/order-api';

export interface ServerlessStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** What a function row may wire itself to (built before the function). */
interface FunctionWiring extends ServerlessData {
  readonly fulfillment?: FulfillmentStateMachine;
  readonly bus?: events.EventBus;
}

/** One canary Lambda: its construct id, its props, and what it is given access to. */
interface FunctionRow extends Omit<CanaryLambdaProps, 'env' | 'environment'> {
  readonly id: string;
  environment?(w: FunctionWiring): Record<string, string>;
  grant?(fn: CanaryLambda, w: FunctionWiring): void;
}

/** The functions the fulfillment workflow calls, and the stream consumer; built before the workflow. */
const WORKER_FUNCTIONS: readonly FunctionRow[] = [
  {
    id: 'FraudDetection',
    workload: 'fraud-detection',
    description: 'Scores an order for fraud (velocity, amount, address mismatch)',
    p99LatencyMs: 800,
    environment: (w) => ({ FRAUD_VELOCITY_TABLE: w.velocityTable.tableName }),
    grant: (fn, w) => w.velocityTable.grantReadWriteData(fn.function),
  },
  {
    id: 'Payments',
    workload: 'payments',
    description: 'Authorizes the order payment with the card provider',
    timeout: Duration.seconds(15),
    p99LatencyMs: 3000,
  },
  {
    id: 'InventorySync',
    workload: 'inventory-sync',
    description: 'Publishes low-stock alerts from the inventory table stream',
    p99LatencyMs: 2000,
    environment: (w) => ({ LOW_STOCK_TOPIC_ARN: w.lowStockTopic.topicArn }),
    grant: (fn, w) => {
      w.lowStockTopic.grantPublish(fn.function);
      consumeInventoryStream(fn, w);
    },
  },
];

/** order-processing: needs the workflow and the bus, so it is built after them. */
const ORDER_FUNCTION: FunctionRow = {
  id: 'OrderProcessing',
  workload: 'order-processing',
  description: 'POST /orders: validates, starts fulfillment, publishes OrderPlaced',
  p99LatencyMs: 1000,
  environment: (w) => ({
    FULFILLMENT_STATE_MACHINE_ARN: required(w.fulfillment, 'fulfillment').aliasArn,
    EVENT_BUS_NAME: required(w.bus, 'bus').eventBusName,
  }),
  grant: (fn, w) => {
    const fulfillment = required(w.fulfillment, 'fulfillment');
    // Start executions through the live alias only; read back an execution a retry already started.
    fn.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [fulfillment.aliasArn] }),
    );
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['states:DescribeExecution'],
        resources: [fulfillment.executionsArn],
      }),
    );
    required(w.bus, 'bus').grantPutEventsTo(fn.function);
    const { env } = fulfillment;
    acknowledge(fn.role, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'states:DescribeExecution on the executions of the one fulfillment state machine: an execution is named ' +
          'after its order id, which is only known per request (a retry reads back the execution it started).',
        appliesTo: [
          `Resource::arn:<AWS::Partition>:states:${env.region}:${env.account}:execution:${resourceName(env, 'fulfillment')}:*`,
        ],
      },
    ]);
  },
};

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`serverless wiring: ${what} is built after the function that needs it`);
  return value;
}

/** The stream is consumed through the live alias, so stream records follow the canary weights too. */
function consumeInventoryStream(fn: CanaryLambda, w: FunctionWiring): void {
  fn.alias.addEventSource(
    new DynamoEventSource(asInterface<dynamodb.ITable>(w.inventoryTable), {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      bisectBatchOnError: true,
      retryAttempts: 5,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(w.streamDlq),
    }),
  );
}

/** The Lambda-based workloads, their data and events, the order HTTP API and the fulfillment workflow. */
export class ServerlessStack extends Stack {
  readonly orderApi: apigwv2.HttpApi;
  readonly key: kms.Key;
  readonly functions: Record<string, CanaryLambda> = {};

  constructor(scope: Construct, id: string, props: ServerlessStackProps) {
    super(scope, id, props);
    const { config: env } = props;
    this.key = new kms.Key(this, 'Key', {
      alias: `alias/${APP}-${env.name}-serverless`,
      enableKeyRotation: true,
      description: 'SecureCart topics and queues',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const data = createServerlessData(this, env, this.key);
    for (const row of WORKER_FUNCTIONS) this.addFunction(env, row, data);
    const wiring: FunctionWiring = {
      ...data,
      fulfillment: this.createFulfillment(env, data),
      bus: createOrderEvents(this, env, this.key, data.customerTopic),
    };
    const orderProcessing = this.addFunction(env, ORDER_FUNCTION, wiring);
    const api = createOrderApi(this, env, asInterface<lambda.IFunction>(orderProcessing.alias));
    this.orderApi = api.api;
    orderProcessing.addAlarm(api.serverErrorAlarm);
    for (const fn of Object.values(this.functions)) fn.register();
    this.acknowledgeTopicKeyGrants();
  }

  private addFunction(env: EnvironmentConfig, row: FunctionRow, wiring: FunctionWiring): CanaryLambda {
    const { id, environment, grant, ...props } = row;
    const fn = new CanaryLambda(this, id, {
      ...props,
      env,
      ...(environment ? { environment: environment(wiring) } : {}),
    });
    grant?.(fn, wiring);
    this.functions[row.workload] = fn;
    return fn;
  }

  private createFulfillment(env: EnvironmentConfig, data: ServerlessData): FulfillmentStateMachine {
    const alias = (workload: string) =>
      asInterface<lambda.IFunction>(required(this.functions[workload], workload).alias);
    return new FulfillmentStateMachine(this, 'Fulfillment', {
      env,
      fraudDetection: alias('fraud-detection'),
      payments: alias('payments'),
      inventoryTable: asInterface<dynamodb.ITable>(data.inventoryTable),
      customerTopic: data.customerTopic,
      supportTopic: data.supportTopic,
      p99ExecutionMs: 60_000,
    });
  }

  /** The functions that publish to or read the encrypted topics get CDK's KMS grants on the one key. */
  private acknowledgeTopicKeyGrants(): void {
    const roles = ['fraud-detection', 'inventory-sync', 'order-processing'].map(
      (w) => required(this.functions[w], w).role,
    );
    acknowledge(roles, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'KMS GenerateDataKey*/ReEncrypt* on the one SecureCart serverless key, as CDK grants them to publish to ' +
          'its encrypted topics and event bus targets; no other key and no other action family.',
        appliesTo: ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
      },
    ]);
  }
}
