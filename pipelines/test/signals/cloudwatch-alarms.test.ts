import {
  CloudWatchClient,
  CloudWatchServiceException,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAlarmGate } from '../../src/gates/alarm-gate';
import { CloudWatchAlarms, MAX_NAMES_PER_REQUEST, PERMISSIONS } from '../../src/signals/cloudwatch-alarms';
import { UnknownAlarmError } from '../../src/signals/ports';
import { expectValidRequests, sentRequests } from '../aws/validated-mock';
import { FakeCloudWatch, type StoredAlarm } from './fake-cloudwatch';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const TYPES = ['CompositeAlarm', 'LogAlarm', 'MetricAlarm'];

const client = new CloudWatchClient({
  region: 'eu-west-1',
  maxAttempts: 1,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const stub = mockClient(client);
const operationsSent = new Set<string>();

let fake: FakeCloudWatch;

function setUp(pageSize = 100): CloudWatchAlarms {
  fake = new FakeCloudWatch(pageSize);
  stub.reset();
  stub.on(DescribeAlarmsCommand).callsFake((input) => fake.describeAlarms(input));
  return new CloudWatchAlarms(client);
}

function alarm(name: string, extra: Partial<StoredAlarm> = {}): StoredAlarm {
  return {
    name,
    type: 'MetricAlarm',
    state: 'OK',
    reason: 'Threshold Crossed',
    updatedAt: T0,
    transitionedAt: T0,
    ...extra,
  };
}

function serviceError(name: string, status: number, message: string): CloudWatchServiceException {
  return new CloudWatchServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

beforeEach(() => setUp());
afterEach(() => {
  expectValidRequests(stub, '@aws-sdk/client-cloudwatch');
  for (const { operation } of sentRequests(stub)) operationsSent.add(operation);
});

describe('CloudWatchAlarms', () => {
  it('reads metric, composite and log alarms by name, with state, reason and when the state changed', async () => {
    const alarms = setUp();
    fake.add(
      alarm('checkout-5xx', {
        state: 'ALARM',
        reason: 'Threshold Crossed: 3 datapoints > 5',
        transitionedAt: T0 - 60_000,
      }),
      alarm('checkout-health', { type: 'CompositeAlarm', reason: 'ALARM(checkout-5xx) is false' }),
      alarm('checkout-log-errors', { type: 'LogAlarm', state: 'INSUFFICIENT_DATA', reason: 'no results' }),
      {
        name: 'checkout-p99',
        type: 'MetricAlarm',
        state: 'OK',
        reason: 'Threshold Crossed',
        updatedAt: T0 - 5_000,
      },
    );
    const names = ['checkout-5xx', 'checkout-health', 'checkout-log-errors', 'checkout-p99'];
    expect(await alarms.states(names)).toEqual([
      {
        name: 'checkout-5xx',
        state: 'ALARM',
        reason: 'Threshold Crossed: 3 datapoints > 5',
        updatedAt: T0 - 60_000,
      },
      { name: 'checkout-health', state: 'OK', reason: 'ALARM(checkout-5xx) is false', updatedAt: T0 },
      { name: 'checkout-log-errors', state: 'INSUFFICIENT_DATA', reason: 'no results', updatedAt: T0 },
      { name: 'checkout-p99', state: 'OK', reason: 'Threshold Crossed', updatedAt: T0 - 5_000 },
    ]);
    expect(sentRequests(stub)).toEqual([
      { operation: 'DescribeAlarms', input: { AlarmNames: names, AlarmTypes: TYPES, MaxRecords: 100 } },
    ]);
  });

  it('asks for more than 100 names in batches of 100, following every page', async () => {
    const alarms = setUp(40);
    const names = Array.from({ length: 250 }, (_, i) => `alarm-${String(i).padStart(3, '0')}`);
    fake.add(
      ...names.map((name, i) => alarm(name, { type: i % 3 === 0 ? 'CompositeAlarm' : 'MetricAlarm' })),
    );
    const states = await alarms.states(names);
    expect(states.map((s) => s.name)).toEqual(names);
    const batch = (from: number, to: number) => ({
      AlarmNames: names.slice(from, to),
      AlarmTypes: TYPES,
      MaxRecords: 100,
    });
    expect(sentRequests(stub).map((request) => request.input)).toEqual([
      batch(0, 100),
      { ...batch(0, 100), NextToken: '40' },
      { ...batch(0, 100), NextToken: '80' },
      batch(100, 200),
      { ...batch(100, 200), NextToken: '40' },
      { ...batch(100, 200), NextToken: '80' },
      batch(200, 250),
      { ...batch(200, 250), NextToken: '40' },
    ]);
    // AlarmNames: at most 100 items (CloudWatch API reference, DescribeAlarms).
    expect(MAX_NAMES_PER_REQUEST).toBe(100);
  });

  it('makes names CloudWatch does not know an UnknownAlarmError, and the gate an error reading', async () => {
    const alarms = setUp();
    fake.add(alarm('checkout-5xx'), alarm('checkout-p99'));
    const names = ['checkout-5xx', 'checkout-5xxx', 'checkout-p99', 'checkout-gone'];
    const failure = await alarms.states(names).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnknownAlarmError);
    expect(failure).toMatchObject({ missing: ['checkout-5xxx', 'checkout-gone'] });
    const window = { from: T0, to: T0 + 1 };
    expect(await readAlarmGate(alarms, { alarms: names, alarmInsufficientData: 'report' }, window)).toEqual([
      {
        gate: 'alarm',
        metric: 'checkout-5xxx, checkout-gone',
        verdict: 'error',
        reason: 'no such alarms (a typo, or another account or Region?)',
        at: T0 + 1,
        window,
      },
    ]);
  });

  it('asks once for a name listed twice, and answers for each listing', async () => {
    const alarms = setUp();
    fake.add(alarm('a'), alarm('b', { state: 'ALARM' }));
    expect((await alarms.states(['a', 'b', 'a'])).map((s) => [s.name, s.state])).toEqual([
      ['a', 'OK'],
      ['b', 'ALARM'],
      ['a', 'OK'],
    ]);
    expect(
      sentRequests(stub).map((request) => (request.input as { AlarmNames: string[] }).AlarmNames),
    ).toEqual([['a', 'b']]);
  });

  it('sends nothing for no names', async () => {
    expect(await setUp().states([])).toEqual([]);
    expect(sentRequests(stub)).toEqual([]);
  });

  it('makes a throttle that outlasts the retries an error reading that says what failed', async () => {
    const alarms = setUp();
    stub.on(DescribeAlarmsCommand).rejects(serviceError('ThrottlingException', 400, 'Rate exceeded'));
    const failure = alarms.states(['checkout-5xx', 'checkout-p99']);
    await expect(failure).rejects.toMatchObject({
      name: 'AwsCallError',
      kind: 'throttled',
      message: 'could not describe alarms checkout-5xx, checkout-p99: ThrottlingException: Rate exceeded',
    });
    const [reading] = await readAlarmGate(
      alarms,
      { alarms: ['checkout-5xx'], alarmInsufficientData: 'block' },
      { from: 0, to: 1 },
    );
    expect(reading).toMatchObject({
      verdict: 'error',
      reason: 'could not be read: could not describe alarms checkout-5xx: ThrottlingException: Rate exceeded',
    });
  });

  it('says when access is denied, naming the alarms', async () => {
    const alarms = setUp();
    const denied =
      'User: arn:aws:sts::123456789012:assumed-role/deploy is not authorized to perform: cloudwatch:DescribeAlarms';
    stub.on(DescribeAlarmsCommand).rejects(serviceError('AccessDenied', 403, denied));
    await expect(alarms.states(['a', 'b', 'c', 'd', 'e'])).rejects.toMatchObject({
      kind: 'access-denied',
      message: `could not describe alarms a, b, c and 2 more: AccessDenied: ${denied}`,
    });
  });

  it('sends only the operations its PERMISSIONS list', () => {
    expect([...operationsSent].map((operation) => `cloudwatch:${operation}`)).toEqual(
      PERMISSIONS.map((p) => p.action),
    );
  });
});
