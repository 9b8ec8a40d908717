import { VirtualClock } from '@tollgate/pipelines/time/clock';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { describe, expect, it } from 'vitest';
import type { AlarmRule } from '../../../src/services/cloudwatch/alarm-rule';
import { createCloudWatchService } from '../../../src/services/cloudwatch/cloudwatch-service';
import type { OperationContext } from '../../../src/services/service';
import { createTelemetrySink, createTelemetryStores } from '../../../src/telemetry/sink';
import { call } from '../../telemetry/cloud-clock';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;
const SCALE = 60;
const STAGING = '111111111111';

/** A cloud at scale 60 over a virtual wall clock; data is put at cloud times. */
function world() {
  const real = new VirtualClock(T0);
  const clock = new ScaledClock({ cloudOrigin: T0, realOrigin: T0, scale: SCALE }, real);
  const stores = createTelemetryStores();
  const sink = createTelemetrySink(stores, { clock, accountOfLogGroup: () => STAGING });
  const cloudwatch = createCloudWatchService({ clock, metrics: stores.metrics, settleMs: 10_000 });
  const context: OperationContext = { region: 'eu-west-1', clock, requestId: 'r' };
  const realAt = (cloud: number) => T0 + (cloud - T0) / SCALE;
  /** Moves the cloud to `cloud` and evaluates, as the loop does each cloud minute. */
  const at = (cloud: number) => {
    real.advance(realAt(cloud) - real.now());
    cloudwatch.evaluate();
  };
  const metric = (
    name: string,
    value: number,
    cloud: number,
    dimensions = { FunctionName: 'pay', Resource: 'pay:live' },
  ) => sink.metric({ namespace: 'AWS/Lambda', name, dimensions, value, realEpochMs: realAt(cloud) });
  const state = (name: string) => {
    const alarm = cloudwatch.alarms.get(name);
    return alarm ? { state: alarm.state, reason: alarm.reason, at: alarm.transitionedAt } : undefined;
  };
  return { clock, sink, cloudwatch, context, at, metric, state, realAt };
}

const errors = (overrides: Partial<AlarmRule> = {}): AlarmRule => ({
  AlarmName: 'securecart-staging-payments-errors',
  Namespace: 'AWS/Lambda',
  MetricName: 'Errors',
  Dimensions: [
    { Name: 'FunctionName', Value: 'pay' },
    { Name: 'Resource', Value: 'pay:live' },
  ],
  Statistic: 'Sum',
  Period: 60,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  EvaluationPeriods: 3,
  DatapointsToAlarm: 3,
  TreatMissingData: 'notBreaching',
  ...overrides,
});

describe('metric alarm evaluation on cloud time', () => {
  it('goes to ALARM on 3 of 3 breaching minutes, once the last minute has ended and settled', () => {
    const w = world();
    w.cloudwatch.alarms.put(errors(), STAGING, 'eu-west-1', T0);
    for (const [minute, values] of [
      [0, [2, 3]],
      [1, [6]],
      [2, [4, 3]],
    ] as const) {
      for (const [i, value] of values.entries()) w.metric('Errors', value, T0 + minute * MIN + i * 1000);
    }
    w.metric('Errors', 100, T0 + 2 * MIN, { FunctionName: 'pay', Resource: 'pay:other' });
    w.at(T0 + 3 * MIN + 9_999);
    expect(w.state('securecart-staging-payments-errors')?.state).toBe('OK');
    w.at(T0 + 3 * MIN + 10_000);
    expect(w.state('securecart-staging-payments-errors')).toEqual({
      state: 'ALARM',
      reason:
        'Threshold Crossed: 3 datapoints [7.0 (02/03/26 10:02:00), 6.0 (02/03/26 10:01:00), 5.0 (02/03/26 10:00:00)] were greater than or equal to the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).',
      at: T0 + 3 * MIN + 10_000,
    });
  });

  it('aligns periods to the minute: a sample at :59.999 and one at :00 fall in different periods', () => {
    const w = world();
    w.cloudwatch.alarms.put(errors({ EvaluationPeriods: 1, DatapointsToAlarm: 1 }), STAGING, 'eu-west-1', T0);
    w.metric('Errors', 3, T0 + MIN - 60); // 1 real ms before 10:01 at scale 60: minute 0
    w.metric('Errors', 3, T0 + MIN); // minute 1
    w.metric('Errors', 2, T0 + 2 * MIN - 60); // minute 1
    w.at(T0 + MIN + 10_000);
    expect(w.state('securecart-staging-payments-errors')?.state).toBe('OK');
    w.at(T0 + 2 * MIN + 10_000);
    expect(w.state('securecart-staging-payments-errors')).toMatchObject({
      state: 'ALARM',
      reason: expect.stringContaining('[5.0 (02/03/26 10:01:00)]'),
    });
  });

  it('alarms on 2 of 3 with DatapointsToAlarm 2, and treats missing data as the rule says', () => {
    const w = world();
    w.cloudwatch.alarms.put(errors({ DatapointsToAlarm: 2 }), STAGING, 'eu-west-1', T0);
    w.cloudwatch.alarms.put(
      errors({ AlarmName: 'missing-as-missing', TreatMissingData: 'missing' }),
      STAGING,
      'eu-west-1',
      T0,
    );
    w.cloudwatch.alarms.put(
      errors({ AlarmName: 'missing-as-breaching', TreatMissingData: 'breaching' }),
      STAGING,
      'eu-west-1',
      T0,
    );
    w.metric('Errors', 6, T0);
    w.metric('Errors', 1, T0 + MIN);
    w.at(T0 + 2 * MIN + 10_000);
    expect(w.state('securecart-staging-payments-errors')?.state).toBe('OK');
    expect(w.state('missing-as-missing')?.state).toBe('OK');
    w.metric('Errors', 9, T0 + 2 * MIN);
    w.at(T0 + 3 * MIN + 10_000);
    expect(w.state('securecart-staging-payments-errors')?.state).toBe('ALARM');
    // Nothing more arrives: after five empty minutes the range holds no real datapoint.
    w.at(T0 + 8 * MIN + 10_000);
    expect(w.state('securecart-staging-payments-errors')?.state).toBe('OK');
    expect(w.state('missing-as-missing')).toMatchObject({
      state: 'INSUFFICIENT_DATA',
      reason: 'Insufficient Data: 5 datapoints were unknown.',
    });
    expect(w.state('missing-as-breaching')?.state).toBe('ALARM');
  });

  it('evaluates the error-rate math expression with IF and FILL', () => {
    const w = world();
    const stat = (name: string) => ({
      Metric: {
        Namespace: 'SecureCart',
        MetricName: name,
        Dimensions: [{ Name: 'service', Value: 'checkout' }],
      },
      Period: 60,
      Stat: 'Sum',
    });
    w.cloudwatch.alarms.put(
      {
        AlarmName: 'securecart-staging-checkout-errors',
        Metrics: [
          {
            Id: 'rate',
            Expression: 'IF(requests >= 20, (FILL(faults, 0) + FILL(clientErrors, 0)) / requests, 0)',
            Label: 'failed request ratio',
            ReturnData: true,
          },
          { Id: 'requests', MetricStat: stat('Requests'), ReturnData: false },
          { Id: 'faults', MetricStat: stat('Faults'), ReturnData: false },
          { Id: 'clientErrors', MetricStat: stat('ClientErrors'), ReturnData: false },
        ],
        Threshold: 0.05,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      },
      STAGING,
      'eu-west-1',
      T0,
    );
    const emf = (cloud: number, fault: boolean) =>
      w.sink.logLine(
        '/ecs/securecart-staging-checkout',
        JSON.stringify({
          _aws: {
            Timestamp: w.realAt(cloud),
            CloudWatchMetrics: [
              {
                Namespace: 'SecureCart',
                Dimensions: [['service', 'release'], ['service']],
                Metrics: [
                  { Name: 'Requests', Unit: 'Count' },
                  ...(fault ? [{ Name: 'Faults', Unit: 'Count' }] : []),
                ],
              },
            ],
          },
          service: 'checkout',
          release: '1.4.0',
          Requests: 1,
          ...(fault ? { Faults: 1 } : {}),
        }),
        w.realAt(cloud),
      );
    // Minute 0: 10 requests, 5 faults: below 20 requests, the rate reads 0.
    for (let i = 0; i < 10; i += 1) emf(T0 + i * 1000, i < 5);
    w.at(T0 + MIN + 10_000);
    expect(w.state('securecart-staging-checkout-errors')?.state).toBe('OK');
    // Minute 1: 40 requests, 2 faults, no client errors: 2 / 40 = 0.05.
    for (let i = 0; i < 40; i += 1) emf(T0 + MIN + i * 1000, i < 2);
    w.at(T0 + 2 * MIN + 10_000);
    expect(w.state('securecart-staging-checkout-errors')).toMatchObject({
      state: 'ALARM',
      reason: expect.stringContaining('[0.05 (02/03/26 10:01:00)]'),
    });
  });

  it('evaluates a Metrics Insights SELECT over the EMF schema: exactly the streams of that schema and service', () => {
    const w = world();
    const rule = (name: string, threshold: number): AlarmRule => ({
      AlarmName: name,
      Metrics: [
        {
          Id: 'q',
          Expression:
            "SELECT SUM(BatchFailures) FROM SCHEMA(SecureCart, release, service) WHERE service = 'order-batch'",
          Period: 3600,
          ReturnData: true,
        },
      ],
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
    w.cloudwatch.alarms.put(rule('at-least-1', 1), STAGING, 'eu-west-1', T0);
    w.cloudwatch.alarms.put(rule('at-least-2', 2), STAGING, 'eu-west-1', T0);
    const put = (dims: Record<string, string>, value: number) =>
      w.sink.metric({
        namespace: 'SecureCart',
        name: 'BatchFailures',
        dimensions: dims,
        value,
        realEpochMs: w.realAt(T0 + MIN),
      });
    put({ service: 'order-batch' }, 5); // another schema
    put({ service: 'checkout', release: '1.0.0' }, 5); // another service
    put({ service: 'order-batch', release: '1.0.0' }, 0);
    put({ service: 'order-batch', release: '1.1.0' }, 1);
    w.at(T0 + 60 * MIN + 10_000);
    expect(w.state('at-least-1')?.state).toBe('ALARM');
    expect(w.state('at-least-2')?.state).toBe('OK');
  });
});

describe('DescribeAlarms', () => {
  it('answers by name with metric and composite alarms, pages, and leaves unknown names out', async () => {
    const w = world();
    for (const name of ['c', 'a', 'b'])
      w.cloudwatch.alarms.put(errors({ AlarmName: name }), STAGING, 'eu-west-1', T0);
    const input = {
      AlarmNames: ['a', 'b', 'c', 'unknown'],
      AlarmTypes: ['CompositeAlarm', 'LogAlarm', 'MetricAlarm'],
      MaxRecords: 2,
    };
    const first = await call(w.cloudwatch.definition, 'DescribeAlarms', input, w.context);
    expect(first.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName)).toEqual(['a', 'b']);
    expect(first.CompositeAlarms).toEqual([]);
    expect(first.MetricAlarms[0]).toMatchObject({
      AlarmArn: 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a',
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      StateTransitionedTimestamp: new Date(T0),
      StateUpdatedTimestamp: new Date(T0),
    });
    const second = await call(
      w.cloudwatch.definition,
      'DescribeAlarms',
      { ...input, NextToken: first.NextToken },
      w.context,
    );
    expect(second.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName)).toEqual(['c']);
    expect(second.NextToken).toBeUndefined();
    await expect(
      call(w.cloudwatch.definition, 'DescribeAlarms', { ...input, MaxRecords: 101 }, w.context),
    ).rejects.toMatchObject({ code: 'InvalidParameterValueException' });
  });
});
