import { CloudWatchClient, DescribeAlarmsCommand, type StateValue } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  type StartQueryRequest,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { SPAN_LOG_GROUP, spanQuery } from '@tollgate/pipelines/signals/span-query';
import { releaseFilter } from '@tollgate/pipelines/signals/xray-filter';
import type { EcsTarget, LambdaTarget } from '@tollgate/pipelines/targets/manifest';
import { expect } from 'vitest';
import { expectCloudDate, type RoundTripWorld, rejection, until } from './round-trip-cloud';

/** What CloudWatch makes of periods without data, by the alarm's TreatMissingData. */
const WITHOUT_DATA: Record<string, StateValue> = { notBreaching: 'OK', breaching: 'ALARM' };

/** payments' alarms as the manifest declares them, in the state CloudWatch gives an alarm without data. */
export async function cloudWatchRoundTrips(world: RoundTripWorld): Promise<void> {
  const target = world.target<LambdaTarget>('payments');
  const cloudWatch = new CloudWatchClient(world.config);
  const rules = target.alarmRules ?? [];
  expect(rules.map((rule) => rule.AlarmName)).toEqual(target.alarms);
  const expectedState = (name: string) =>
    WITHOUT_DATA[rules.find((rule) => rule.AlarmName === name)?.TreatMissingData ?? ''] ??
    'INSUFFICIENT_DATA';
  const { MetricAlarms = [] } = await until(
    world,
    `the first evaluation of ${target.alarms.join(', ')}`,
    () => cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: target.alarms })),
    (read) =>
      read.MetricAlarms?.every((alarm) => alarm.StateValue === expectedState(alarm.AlarmName ?? '')) === true,
  );
  expect(MetricAlarms.map((alarm) => alarm.AlarmName)).toEqual([...target.alarms].sort());
  for (const alarm of MetricAlarms) {
    const rule = rules.find((candidate) => candidate.AlarmName === alarm.AlarmName);
    expect(alarm).toMatchObject({
      ...rule,
      AlarmArn: `arn:aws:cloudwatch:eu-west-1:${target.account}:alarm:${alarm.AlarmName}`,
    });
    expectCloudDate(world, alarm.StateUpdatedTimestamp);
  }

  const refused = await rejection(
    cloudWatch.send(new DescribeAlarmsCommand({ StateValue: 'PURPLE' as StateValue })),
  );
  expect(refused).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
  expect(refused.message).toContain('StateValue');
}

/** A payment through the live alias becomes a trace summary annotated with the live release. */
export async function xrayRoundTrips(world: RoundTripWorld): Promise<void> {
  const target = world.target<LambdaTarget>('payments');
  const xray = new XRayClient(world.config);
  const live = await new LambdaClient(world.config).send(
    new GetFunctionConfigurationCommand({ FunctionName: target.functionName, Qualifier: target.alias }),
  );
  const release = live.Environment?.Variables?.RELEASE_VERSION ?? '';
  const entry = world.cloud.entryPoint('payments', 'production');
  if (entry.kind !== 'invoke') throw new Error('payments is entered by invoking its alias');
  const invokedAt = world.cloud.clock.now();
  await entry.invoke({
    orderId: 'ord-round-trip-1',
    paymentToken: 'tok_visa_4242',
    amount: 1299,
    currency: 'EUR',
  });
  const window = {
    StartTime: new Date(invokedAt - 60_000),
    FilterExpression: releaseFilter(target.xrayServiceName, release),
  };
  const { TraceSummaries = [], ApproximateTime } = await until(
    world,
    `a trace of ${target.xrayServiceName} ${release}`,
    () => xray.send(new GetTraceSummariesCommand({ ...window, EndTime: new Date(world.cloud.clock.now()) })),
    (read) => (read.TraceSummaries?.length ?? 0) > 0,
  );
  expect(TraceSummaries).toHaveLength(1);
  const [summary] = TraceSummaries;
  expect(summary?.Id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  expect(summary).toMatchObject({ HasError: false, HasFault: false, HasThrottle: false });
  expect(summary?.Annotations?.release?.[0]?.AnnotationValue).toEqual({ StringValue: release });
  expect(summary?.ServiceIds?.map((id) => id.Name)).toContain(target.xrayServiceName);
  expectCloudDate(world, summary?.StartTime, invokedAt - 1_000);
  expectCloudDate(world, ApproximateTime, invokedAt);

  const refused = await rejection(
    xray.send(
      new GetTraceSummariesCommand({ ...window, EndTime: new Date(), TimeRangeType: 'Purple' as 'Event' }),
    ),
  );
  expect(refused).toMatchObject({ name: 'InvalidRequestException', status: 400 });
  expect(refused.message).toContain('TimeRangeType');
}

/** auth's 1.0.0 server spans (its health checks, over OTLP) through Logs Insights on `aws/spans`. */
export async function logsRoundTrips(world: RoundTripWorld): Promise<void> {
  const target = world.target<EcsTarget>('auth');
  const logs = new CloudWatchLogsClient(world.config);
  const now = world.cloud.clock.now();
  const selection = {
    serviceName: target.xrayServiceName,
    version: '1.0.0',
    entry: 'server' as const,
    from: world.origin,
    to: now,
  };
  const { queryId } = await logs.send(
    new StartQueryCommand({
      logGroupName: SPAN_LOG_GROUP,
      startTime: Math.floor(world.origin / 1000),
      endTime: Math.ceil(now / 1000),
      queryString: spanQuery(selection),
    }),
  );
  expect(queryId).toMatch(/\S/);
  const page = await until(
    world,
    `query ${queryId} completing`,
    () => logs.send(new GetQueryResultsCommand({ queryId })),
    (read) => read.status === 'Complete',
  );
  const rows = page.results ?? [];
  expect(rows.length).toBeGreaterThan(0);
  expect(page.statistics?.recordsMatched).toBe(rows.length);
  for (const row of rows) {
    const fields = new Map(row.map((cell) => [cell.field, cell.value]));
    expect(fields.get('traceId')).toMatch(/^[0-9a-f]{32}$/);
    const start = Number(fields.get('startTimeUnixNano')) / 1e6;
    expect(start).toBeGreaterThanOrEqual(world.origin - 1);
    expect(start).toBeLessThan(now + 1);
  }

  // StopQuery API reference: "If the query has already ended, the operation returns an error indicating
  // that the specified query is not running."
  const ended = await rejection(logs.send(new StopQueryCommand({ queryId })));
  expect(['InvalidParameterException', 'ResourceNotFoundException']).toContain(ended.name);

  const refused = await rejection(
    logs.send(
      new StartQueryCommand({ logGroupName: SPAN_LOG_GROUP, startTime: 0, endTime: 1 } as StartQueryRequest),
    ),
  );
  expect(refused).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  expect(refused.message).toContain('queryString');
}
