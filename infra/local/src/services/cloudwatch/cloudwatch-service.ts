import type { DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { MetricStore } from '../../telemetry/metric-store';
import { AwsServiceError, type ServiceDefinition } from '../service';
import { AlarmBook, describedAlarm } from './alarms';

export interface CloudWatchServiceOptions {
  clock: ScaledClock;
  metrics: MetricStore;
  /**
   * Cloud ms after a period ends before it is evaluated, so datapoints still on their way (a batch of
   * EMF lines, a vended metric reported at the end of a request) land in their period first.
   */
  settleMs?: number;
}

export interface CloudWatchService {
  definition: ServiceDefinition;
  alarms: AlarmBook;
  /** Evaluates every alarm at the clock's now (the evaluation loop calls it each cloud minute). */
  evaluate(): void;
  close(): Promise<void>;
}

export const DEFAULT_SETTLE_MS = 10_000;
const MAX_NAMES = 100;

/** CloudWatch's DescribeAlarms over provisioned metric alarms (awsJson1_0, target GraniteServiceVersion20100801). */
export function createCloudWatchService(options: CloudWatchServiceOptions): CloudWatchService {
  const alarms = new AlarmBook(options.metrics);
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const describeAlarms = (input: DescribeAlarmsCommandInput) => {
    const names = input.AlarmNames ?? [];
    if (names.length > MAX_NAMES) {
      throw new AwsServiceError(
        'InvalidParameterValueException',
        `AlarmNames may hold at most ${MAX_NAMES} names, not ${names.length}`,
      );
    }
    if (names.length > 0 && input.AlarmNamePrefix !== undefined) {
      throw new AwsServiceError(
        'InvalidParameterCombinationException',
        'AlarmNames and AlarmNamePrefix cannot be used together',
      );
    }
    const maxRecords = input.MaxRecords ?? 50;
    if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 100) {
      throw new AwsServiceError(
        'InvalidParameterValueException',
        `MaxRecords must be between 1 and 100, not ${maxRecords}`,
      );
    }
    const types = new Set(input.AlarmTypes ?? ['MetricAlarm']);
    const matching = types.has('MetricAlarm')
      ? alarms
          .all()
          .filter((a) => names.length === 0 || names.includes(a.rule.AlarmName))
          .filter(
            (a) => input.AlarmNamePrefix === undefined || a.rule.AlarmName.startsWith(input.AlarmNamePrefix),
          )
          .filter((a) => input.StateValue === undefined || a.state === input.StateValue)
          .sort((a, b) => (a.rule.AlarmName < b.rule.AlarmName ? -1 : 1))
      : [];
    const offset = offsetOf(input.NextToken);
    const page = matching.slice(offset, offset + maxRecords);
    return {
      ...(types.has('MetricAlarm') ? { MetricAlarms: page.map(describedAlarm) } : {}),
      ...(types.has('CompositeAlarm') ? { CompositeAlarms: [] } : {}),
      ...(offset + maxRecords < matching.length ? { NextToken: tokenOf(offset + maxRecords) } : {}),
    };
  };
  return {
    definition: {
      signingName: 'monitoring',
      sdkPackage: '@aws-sdk/client-cloudwatch',
      protocol: 'awsJson1_0',
      targetPrefix: 'GraniteServiceVersion20100801',
      operations: { DescribeAlarms: describeAlarms },
    },
    alarms,
    evaluate: () => alarms.evaluate(options.clock.now(), settleMs),
    close: async () => {},
  };
}

function tokenOf(offset: number): string {
  return Buffer.from(`alarms:${offset}`).toString('base64');
}

function offsetOf(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^alarms:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match)
    throw new AwsServiceError(
      'InvalidNextToken',
      'The NextToken is not valid: pass the one the previous page returned',
    );
  return Number(match[1]);
}
