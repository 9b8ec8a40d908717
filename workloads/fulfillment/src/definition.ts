import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/**
 * SecureCart order fulfillment, from checkout to shipping:
 *
 *   Checkout received → Fraud check → (deny → Order rejected)
 *                                   → Charge payment (retries; on failure → Notify support → Payment failed)
 *                                   → Fulfil order ‖ [Reserve inventory (per item) | Notify customer]
 *                                   → Order fulfilled
 *
 * Input (from order-processing): `{ orderId, total, order }` (no release: a retry on another version must send
 * identical input for the idempotent StartExecution), where `order` is the shared
 * order contract (`workloads/shared/order.ts`: customerId, currency, items[{ sku, quantity, unitPrice }],
 * paymentToken, addresses) and `total` is in minor units.
 */

/** State names, exported so tests and dashboards refer to the same strings as the ASL. */
export const STATES = {
  checkout: 'Checkout received',
  fraudCheck: 'Fraud check',
  fraudVerdict: 'Fraud verdict',
  fraudDenied: 'Order rejected as fraudulent',
  payment: 'Charge payment',
  notifySupport: 'Notify support of payment failure',
  paymentFailed: 'Payment failed',
  fulfil: 'Fulfil order',
  notifySupportFulfilment: 'Notify support of fulfilment failure',
  fulfilmentFailed: 'Fulfilment failed',
  reserveInventory: 'Reserve inventory',
  updateInventory: 'Update inventory item',
  notifyCustomer: 'Notify customer',
  done: 'Order fulfilled',
} as const;

/** The error a payments Lambda throws (error name) when the card processor is unreachable. */
export const PAYMENT_PROVIDER_UNAVAILABLE = 'PaymentProviderUnavailable';

/** Lambda service errors worth retrying (the invoke itself failed, not the function's logic). */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

export interface FulfillmentDependencies {
  /** fraud-detection's `live` alias: `{ orderId, order }` → `{ orderId, score, decision: 'allow' | 'review' | 'deny', reasons }`. */
  readonly fraudDetection: lambda.IFunction;
  /** payments' `live` alias: `{ orderId, paymentToken, amount, currency }` → `{ authorizationId, status, ... }`; throws PaymentProviderUnavailable (retryable) or PaymentDeclined. */
  readonly payments: lambda.IFunction;
  /** Inventory table keyed by `sku` (string) with a numeric `quantity` attribute (stock on hand). */
  readonly inventoryTable: dynamodb.ITable;
  /** Customer notifications (order confirmed). */
  readonly customerTopic: sns.ITopic;
  /** Support team's topic, told about orders whose payment could not be taken. */
  readonly supportTopic: sns.ITopic;
}

/** Builds the state graph; the caller wraps it in a StateMachine (with logging and tracing). */
export function defineFulfillment(scope: Construct, deps: FulfillmentDependencies): sfn.IChainable {
  const checkout = new sfn.Pass(scope, STATES.checkout, {
    comment: 'Order handed over by order-processing after checkout',
    parameters: {
      'orderId.$': '$.orderId',
      'total.$': '$.total',
      'order.$': '$.order',
    },
  });

  const fraudCheck = new tasks.LambdaInvoke(scope, STATES.fraudCheck, {
    lambdaFunction: deps.fraudDetection,
    payload: sfn.TaskInput.fromObject({ 'orderId.$': '$.orderId', 'order.$': '$.order' }),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath: '$.fraud',
    taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
  });
  fraudCheck.addRetry({
    errors: [...LAMBDA_SERVICE_ERRORS],
    interval: Duration.seconds(1),
    backoffRate: 2,
    maxAttempts: 3,
    jitterStrategy: sfn.JitterType.FULL,
  });

  const fraudDenied = new sfn.Fail(scope, STATES.fraudDenied, {
    error: 'FraudDenied',
    cause: 'fraud-detection denied the order',
  });

  const payment = new tasks.LambdaInvoke(scope, STATES.payment, {
    lambdaFunction: deps.payments,
    payload: sfn.TaskInput.fromObject({
      'orderId.$': '$.orderId',
      'paymentToken.$': '$.order.paymentToken',
      'amount.$': '$.total',
      'currency.$': '$.order.currency',
    }),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath: '$.payment',
    taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
  });
  payment.addRetry({
    errors: [PAYMENT_PROVIDER_UNAVAILABLE],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 4,
    maxDelay: Duration.seconds(30),
    jitterStrategy: sfn.JitterType.FULL,
  });
  payment.addRetry({
    errors: [...LAMBDA_SERVICE_ERRORS],
    interval: Duration.seconds(1),
    backoffRate: 2,
    maxAttempts: 3,
    jitterStrategy: sfn.JitterType.FULL,
  });

  const notifySupport = new tasks.SnsPublish(scope, STATES.notifySupport, {
    topic: deps.supportTopic,
    subject: 'SecureCart: payment failed after retries',
    message: sfn.TaskInput.fromObject({
      'orderId.$': '$.orderId',
      'customerId.$': '$.order.customerId',
      'error.$': '$.paymentError.Error',
      'cause.$': '$.paymentError.Cause',
    }),
    resultPath: sfn.JsonPath.DISCARD,
  });
  const paymentFailed = new sfn.Fail(scope, STATES.paymentFailed, {
    error: 'PaymentFailed',
    cause: 'payment could not be taken; support has been notified',
  });
  payment.addCatch(notifySupport.next(paymentFailed), {
    errors: [sfn.Errors.ALL],
    resultPath: '$.paymentError',
  });

  const updateInventory = new tasks.DynamoUpdateItem(scope, STATES.updateInventory, {
    table: deps.inventoryTable,
    key: { sku: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.sku')) },
    updateExpression: 'SET quantity = quantity - :ordered',
    conditionExpression: 'quantity >= :ordered',
    expressionAttributeValues: {
      ':ordered': tasks.DynamoAttributeValue.numberFromString(
        sfn.JsonPath.format('{}', sfn.JsonPath.stringAt('$.quantity')),
      ),
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  updateInventory.addRetry({
    errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.ThrottlingException'],
    interval: Duration.seconds(1),
    backoffRate: 2,
    maxAttempts: 5,
    jitterStrategy: sfn.JitterType.FULL,
  });
  const reserveInventory = new sfn.Map(scope, STATES.reserveInventory, {
    itemsPath: '$.order.items',
    maxConcurrency: 10,
    resultPath: sfn.JsonPath.DISCARD,
  });
  reserveInventory.itemProcessor(updateInventory);

  const notifyCustomer = new tasks.SnsPublish(scope, STATES.notifyCustomer, {
    topic: deps.customerTopic,
    subject: 'Your SecureCart order is confirmed',
    message: sfn.TaskInput.fromObject({
      'orderId.$': '$.orderId',
      'customerId.$': '$.order.customerId',
      'authorizationId.$': '$.payment.authorizationId',
      status: 'CONFIRMED',
    }),
    messageAttributes: {
      customerId: { value: sfn.JsonPath.stringAt('$.order.customerId') },
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  notifyCustomer.addRetry({
    errors: ['SNS.SdkClientException', 'SNS.InternalErrorException'],
    maxAttempts: 3,
  });

  const fulfil = new sfn.Parallel(scope, STATES.fulfil, { resultPath: sfn.JsonPath.DISCARD })
    .branch(reserveInventory)
    .branch(notifyCustomer);

  // Payment is taken by now: a failed reservation (e.g. out of stock) needs a human, not silence.
  const notifySupportFulfilment = new tasks.SnsPublish(scope, STATES.notifySupportFulfilment, {
    topic: deps.supportTopic,
    subject: 'SecureCart: order paid but not fulfilled',
    message: sfn.TaskInput.fromObject({
      'orderId.$': '$.orderId',
      'customerId.$': '$.order.customerId',
      'authorizationId.$': '$.payment.authorizationId',
      'error.$': '$.fulfilmentError.Error',
      'cause.$': '$.fulfilmentError.Cause',
    }),
    resultPath: sfn.JsonPath.DISCARD,
  });
  fulfil.addCatch(
    notifySupportFulfilment.next(
      new sfn.Fail(scope, STATES.fulfilmentFailed, {
        error: 'FulfilmentFailed',
        cause: 'payment taken but inventory or notification failed; support has been notified',
      }),
    ),
    { errors: [sfn.Errors.ALL], resultPath: '$.fulfilmentError' },
  );

  const done = new sfn.Succeed(scope, STATES.done);

  return checkout
    .next(fraudCheck)
    .next(
      new sfn.Choice(scope, STATES.fraudVerdict)
        .when(sfn.Condition.stringEquals('$.fraud.decision', 'deny'), fraudDenied)
        .otherwise(payment.next(fulfil).next(done)),
    );
}
