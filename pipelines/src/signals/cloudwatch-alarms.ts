import {
  type CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type LogAlarm,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { aws } from '../aws/aws-error';
import type { Permission } from '../aws/permission';
import { type AlarmSource, type AlarmStatus, UnknownAlarmError } from './ports';

export const PERMISSIONS: readonly Permission[] = [
  {
    action: 'cloudwatch:DescribeAlarms',
    // CloudWatch returns composite alarms only to a DescribeAlarms permission scoped to "*" (API reference).
    resource: '*',
    why: 'read the gating alarms (metric, composite and log alarms) in preflight and every bake poll',
  },
];

/** DescribeAlarms takes at most 100 names, and MaxRecords is 1 to 100 (CloudWatch API reference). */
export const MAX_NAMES_PER_REQUEST = 100;
const MAX_RECORDS = 100;

/**
 * Without AlarmTypes, DescribeAlarms returns only metric alarms, so a composite or log alarm would look
 * unknown; all three types are asked for.
 */
const ALARM_TYPES = ['CompositeAlarm', 'LogAlarm', 'MetricAlarm'] as const;

type AnyAlarm = MetricAlarm | CompositeAlarm | LogAlarm;

/**
 * The gating alarms as CloudWatch has them now. Names CloudWatch does not know are an
 * `UnknownAlarmError` (DescribeAlarms just leaves them out of its answer), never a silent OK.
 */
export class CloudWatchAlarms implements AlarmSource {
  constructor(private readonly client: CloudWatchClient) {}

  async states(names: readonly string[]): Promise<AlarmStatus[]> {
    const unique = [...new Set(names)];
    const found = new Map<string, AlarmStatus>();
    for (let i = 0; i < unique.length; i += MAX_NAMES_PER_REQUEST) {
      for (const alarm of await this.describe(unique.slice(i, i + MAX_NAMES_PER_REQUEST))) {
        if (alarm.AlarmName !== undefined) found.set(alarm.AlarmName, statusOf(alarm));
      }
    }
    const missing = unique.filter((name) => !found.has(name));
    if (missing.length > 0) throw new UnknownAlarmError(missing);
    return names.map((name) => ({ ...(found.get(name) as AlarmStatus) }));
  }

  /** Every page of one batch of names. */
  private async describe(batch: string[]): Promise<AnyAlarm[]> {
    const alarms: AnyAlarm[] = [];
    let nextToken: string | undefined;
    do {
      const input = {
        AlarmNames: batch,
        AlarmTypes: [...ALARM_TYPES],
        MaxRecords: MAX_RECORDS,
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
      const page = await aws(`describe alarms ${summary(batch)}`, () =>
        this.client.send(new DescribeAlarmsCommand(input)),
      );
      alarms.push(...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? []), ...(page.LogAlarms ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return alarms;
  }
}

function statusOf(alarm: AnyAlarm): AlarmStatus {
  const name = alarm.AlarmName as string;
  if (!alarm.StateValue) throw new Error(`CloudWatch returned alarm ${name} without a state`);
  // StateTransitionedTimestamp is when the state last changed; StateUpdatedTimestamp also moves when only
  // the evaluation state does, so it is the fallback. 0 means CloudWatch gave neither.
  const changed = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp;
  return {
    name,
    state: alarm.StateValue,
    reason: alarm.StateReason ?? '',
    updatedAt: changed?.getTime() ?? 0,
  };
}

function summary(batch: readonly string[]): string {
  return batch.length <= 3
    ? batch.join(', ')
    : `${batch.slice(0, 3).join(', ')} and ${batch.length - 3} more`;
}
