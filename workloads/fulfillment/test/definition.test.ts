import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_SERVICE_ERRORS, PAYMENT_PROVIDER_UNAVAILABLE, STATES } from '../src/definition';
import { ARNS, type Asl, type AslState, renderFulfillmentAsl, walk } from './asl';

let asl: Asl;

beforeAll(() => {
  asl = renderFulfillmentAsl();
});

function state(name: string, machine: Asl = asl): AslState {
  const found = machine.States[name];
  if (!found) throw new Error(`state "${name}" not in ASL (has: ${Object.keys(machine.States).join(', ')})`);
  return found;
}

describe('fulfillment ASL: structure', () => {
  it('starts at checkout and goes through the fraud check to the verdict', () => {
    expect(asl.StartAt).toBe(STATES.checkout);
    expect(state(STATES.checkout)).toMatchObject({ Type: 'Pass', Next: STATES.fraudCheck });
    // payloadResponseOnly: the task invokes the live alias directly and its result is the payload.
    expect(state(STATES.fraudCheck)).toMatchObject({
      Type: 'Task',
      Resource: ARNS.fraud,
      Parameters: { 'orderId.$': '$.orderId', 'order.$': '$.order' },
      ResultPath: '$.fraud',
      Next: STATES.fraudVerdict,
    });
  });

  it('fails the execution when fraud-detection denies, otherwise charges the payment', () => {
    const verdict = state(STATES.fraudVerdict);
    expect(verdict.Type).toBe('Choice');
    expect(verdict.Choices).toEqual([
      { Variable: '$.fraud.decision', StringEquals: 'deny', Next: STATES.fraudDenied },
    ]);
    expect(verdict.Default).toBe(STATES.payment);
    expect(state(STATES.fraudDenied)).toMatchObject({ Type: 'Fail', Error: 'FraudDenied' });
  });

  it('invokes payments with the order token and total', () => {
    expect(state(STATES.payment)).toMatchObject({
      Type: 'Task',
      Resource: ARNS.payments,
      Parameters: {
        'orderId.$': '$.orderId',
        'paymentToken.$': '$.order.paymentToken',
        'amount.$': '$.total',
        'currency.$': '$.order.currency',
      },
      ResultPath: '$.payment',
      Next: STATES.fulfil,
    });
  });

  it('retries the payment with backoff on PaymentProviderUnavailable and on Lambda service errors only', () => {
    expect(state(STATES.payment).Retry).toEqual([
      {
        ErrorEquals: [PAYMENT_PROVIDER_UNAVAILABLE],
        IntervalSeconds: 2,
        BackoffRate: 2,
        MaxAttempts: 4,
        MaxDelaySeconds: 30,
        JitterStrategy: 'FULL',
      },
      {
        ErrorEquals: [...LAMBDA_SERVICE_ERRORS],
        IntervalSeconds: 1,
        BackoffRate: 2,
        MaxAttempts: 3,
        JitterStrategy: 'FULL',
      },
    ]);
    const retried = (state(STATES.payment).Retry ?? []).flatMap((r) => r.ErrorEquals);
    expect(retried).not.toContain('States.ALL');
    expect(retried).not.toContain('PaymentDeclined');
  });

  it('catches any payment failure, notifies support over SNS, then fails', () => {
    expect(state(STATES.payment).Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.paymentError', Next: STATES.notifySupport },
    ]);
    expect(state(STATES.notifySupport)).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Parameters: { TopicArn: ARNS.supportTopic },
      Next: STATES.paymentFailed,
    });
    const message = state(STATES.notifySupport).Parameters?.Message as Record<string, string>;
    expect(message).toMatchObject({ 'error.$': '$.paymentError.Error', 'cause.$': '$.paymentError.Cause' });
    expect(state(STATES.paymentFailed)).toMatchObject({ Type: 'Fail', Error: 'PaymentFailed' });
  });

  it('updates inventory and notifies the customer in parallel, then succeeds', () => {
    const fulfil = state(STATES.fulfil);
    expect(fulfil.Type).toBe('Parallel');
    expect(fulfil.Next).toBe(STATES.done);
    expect(fulfil.Branches?.map((b) => b.StartAt)).toEqual([STATES.reserveInventory, STATES.notifyCustomer]);

    const inventoryBranch = fulfil.Branches?.[0] as Asl;
    const reserve = state(STATES.reserveInventory, inventoryBranch);
    expect(reserve).toMatchObject({ Type: 'Map', ItemsPath: '$.order.items' });
    const update = state(STATES.updateInventory, reserve.ItemProcessor as Asl);
    expect(update).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: {
        TableName: 'securecart-staging-inventory',
        Key: { sku: { 'S.$': '$.sku' } },
        UpdateExpression: 'SET quantity = quantity - :ordered',
        ConditionExpression: 'quantity >= :ordered',
        ExpressionAttributeValues: { ':ordered': { 'N.$': "States.Format('{}', $.quantity)" } },
      },
    });

    const notifyBranch = fulfil.Branches?.[1] as Asl;
    expect(state(STATES.notifyCustomer, notifyBranch)).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Parameters: { TopicArn: ARNS.customerTopic },
    });
    expect(state(STATES.done).Type).toBe('Succeed');
  });

  it('sends a paid-but-unfulfilled order to support instead of failing silently', () => {
    expect(state(STATES.fulfil).Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.fulfilmentError', Next: STATES.notifySupportFulfilment },
    ]);
    expect(state(STATES.notifySupportFulfilment)).toMatchObject({
      Resource: 'arn:aws:states:::sns:publish',
      Parameters: { TopicArn: ARNS.supportTopic },
      Next: STATES.fulfilmentFailed,
    });
  });
});

describe('fulfillment ASL: paths', () => {
  const allow = { '$.fraud.decision': 'allow' };

  it('happy path: checkout → fraud → payment → parallel fulfilment → done', () => {
    const run = walk(asl, {}, allow);
    expect(run.end).toEqual({ state: STATES.done, type: 'Succeed' });
    expect(run.path).toEqual([
      STATES.checkout,
      STATES.fraudCheck,
      STATES.fraudVerdict,
      STATES.payment,
      STATES.fulfil,
      STATES.reserveInventory,
      STATES.updateInventory,
      STATES.notifyCustomer,
      STATES.done,
    ]);
  });

  it('fraud deny ends in the fraud Fail state without charging', () => {
    const run = walk(asl, {}, { '$.fraud.decision': 'deny' });
    expect(run.end).toEqual({ state: STATES.fraudDenied, type: 'Fail', error: 'FraudDenied' });
    expect(run.attempts[STATES.payment]).toBeUndefined();
  });

  it('a review decision still proceeds to payment', () => {
    expect(walk(asl, {}, { '$.fraud.decision': 'review' }).end.state).toBe(STATES.done);
  });

  it('provider outage that recovers on the 4th retry: five attempts with exponential backoff, then fulfilled', () => {
    const unavailable = { error: PAYMENT_PROVIDER_UNAVAILABLE };
    const run = walk(
      asl,
      { [STATES.payment]: [unavailable, unavailable, unavailable, unavailable, 'ok'] },
      allow,
    );
    expect(run.attempts[STATES.payment]).toBe(5);
    expect(run.delays[STATES.payment]).toEqual([2, 4, 8, 16]);
    expect(run.end.state).toBe(STATES.done);
  });

  it('provider outage that outlasts the retries: notify support, then PaymentFailed', () => {
    const unavailable = { error: PAYMENT_PROVIDER_UNAVAILABLE };
    const run = walk(asl, { [STATES.payment]: Array(6).fill(unavailable) }, allow);
    expect(run.attempts[STATES.payment]).toBe(5);
    expect(run.path.slice(-2)).toEqual([STATES.notifySupport, STATES.paymentFailed]);
    expect(run.end).toEqual({ state: STATES.paymentFailed, type: 'Fail', error: 'PaymentFailed' });
  });

  it('a declined card is not retried: straight to support and PaymentFailed', () => {
    const run = walk(asl, { [STATES.payment]: [{ error: 'PaymentDeclined' }] }, allow);
    expect(run.attempts[STATES.payment]).toBe(1);
    expect(run.end.state).toBe(STATES.paymentFailed);
  });

  it('Lambda throttling is retried three times on its own budget', () => {
    const throttled = { error: 'Lambda.TooManyRequestsException' };
    const run = walk(asl, { [STATES.payment]: [throttled, throttled, throttled, 'ok'] }, allow);
    expect(run.attempts[STATES.payment]).toBe(4);
    expect(run.delays[STATES.payment]).toEqual([1, 2, 4]);
    expect(run.end.state).toBe(STATES.done);
  });

  it('out of stock after payment: support is told and the execution fails', () => {
    const run = walk(
      asl,
      { [STATES.updateInventory]: [{ error: 'DynamoDB.ConditionalCheckFailedException' }] },
      allow,
    );
    expect(run.path).toContain(STATES.notifySupportFulfilment);
    expect(run.end).toEqual({ state: STATES.fulfilmentFailed, type: 'Fail', error: 'FulfilmentFailed' });
  });
});
