import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { alarmName } from '../naming';

export interface GatingAlarmProps {
  readonly env: EnvironmentConfig;
  readonly workload: string;
  /** Short signal name, becomes the alarm name suffix: `securecart-<env>-<workload>-<signal>`. */
  readonly signal: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly description: string;
  readonly comparison?: cloudwatch.ComparisonOperator;
  /** Datapoints in the evaluation window; the gate should trip within a couple of minutes of a bad canary. */
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
}

/**
 * An alarm that gates releases. Missing data is NOT breaching: a quiet canary is judged by the
 * trace-based gates (which treat too few samples as inconclusive), not failed by an alarm.
 */
export function gatingAlarm(scope: Construct, id: string, props: GatingAlarmProps): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmName: alarmName(props.env, props.workload, props.signal),
    alarmDescription: `[tollgate gate] ${props.description}`,
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: props.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: props.evaluationPeriods ?? 3,
    datapointsToAlarm: props.datapointsToAlarm ?? 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

export const ONE_MINUTE = Duration.minutes(1);
