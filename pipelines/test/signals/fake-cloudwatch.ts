import type {
  AlarmType,
  CompositeAlarm,
  DescribeAlarmsCommandInput,
  DescribeAlarmsCommandOutput,
  LogAlarm,
  MetricAlarm,
  StateValue,
} from '@aws-sdk/client-cloudwatch';
import { modelled } from '../aws/validated-mock';

export interface StoredAlarm {
  name: string;
  type: AlarmType;
  state: StateValue;
  reason: string;
  /** When the state last changed (ms); absent to model an answer without StateTransitionedTimestamp. */
  transitionedAt?: number;
  /** When the state or evaluation state last changed (ms). */
  updatedAt: number;
}

/**
 * A stateful CloudWatch for DescribeAlarms by name: it enforces the API's limits (at most 100 names,
 * MaxRecords 1 to 100), returns only the alarm types asked for (metric alarms when none are), leaves
 * unknown names out, and pages with NextToken. `pageSize` lets it return fewer than MaxRecords a page,
 * which the API's contract allows, so that callers' paging is exercised.
 */
export class FakeCloudWatch {
  private readonly alarms = new Map<string, StoredAlarm>();

  constructor(private readonly pageSize = 100) {}

  add(...alarms: StoredAlarm[]): void {
    for (const alarm of alarms) this.alarms.set(alarm.name, alarm);
  }

  describeAlarms(input: DescribeAlarmsCommandInput): DescribeAlarmsCommandOutput {
    const names = input.AlarmNames ?? [];
    const maxRecords = input.MaxRecords ?? 50;
    if (names.length > 100) throw new Error(`the fake refuses ${names.length} AlarmNames: at most 100`);
    if (maxRecords < 1 || maxRecords > 100) throw new Error(`the fake refuses MaxRecords ${maxRecords}`);
    const types = new Set(input.AlarmTypes ?? ['MetricAlarm']);
    const matching = names
      .map((name) => this.alarms.get(name))
      .filter((alarm): alarm is StoredAlarm => alarm !== undefined && types.has(alarm.type))
      .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
    const offset = input.NextToken ? Number(input.NextToken) : 0;
    const size = Math.min(maxRecords, this.pageSize);
    const page = matching.slice(offset, offset + size);
    const next = offset + size < matching.length ? String(offset + size) : undefined;
    return modelled('@aws-sdk/client-cloudwatch', 'DescribeAlarms', {
      MetricAlarms: page.filter((a) => a.type === 'MetricAlarm').map(described),
      CompositeAlarms: page.filter((a) => a.type === 'CompositeAlarm').map(described),
      LogAlarms: page.filter((a) => a.type === 'LogAlarm').map(described),
      ...(next ? { NextToken: next } : {}),
      $metadata: {},
    });
  }
}

function described(alarm: StoredAlarm): MetricAlarm & CompositeAlarm & LogAlarm {
  return {
    AlarmName: alarm.name,
    AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${alarm.name}`,
    StateValue: alarm.state,
    StateReason: alarm.reason,
    StateUpdatedTimestamp: new Date(alarm.updatedAt),
    ...(alarm.transitionedAt === undefined
      ? {}
      : { StateTransitionedTimestamp: new Date(alarm.transitionedAt) }),
  };
}
