import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { ReleaseManifestRegistry } from '../manifest/registry';
import { alarmName } from '../naming';

/** One gating alarm of a workload, as a row of its platform's alarm table. */
export interface GatingAlarmRow {
  /** Construct id (kept stable: it is the alarm's logical id). */
  readonly id: string;
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

export interface GatingAlarmProps extends Omit<GatingAlarmRow, 'id'> {
  readonly env: EnvironmentConfig;
  readonly workload: string;
}

/**
 * An alarm that gates releases. Missing data is NOT breaching: a quiet canary is judged by the
 * trace-based gates (which treat too few samples as inconclusive), not failed by an alarm.
 * Recorded with the manifest registry, which writes its full rule beside its name (`alarmRules`).
 */
export function gatingAlarm(scope: Construct, id: string, props: GatingAlarmProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: alarmName(props.env, props.workload, props.signal),
    alarmDescription: `[tollgate gate] ${props.description}`,
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: props.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: props.evaluationPeriods ?? 3,
    datapointsToAlarm: props.datapointsToAlarm ?? 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  ReleaseManifestRegistry.of(alarm).registerGatingAlarm(alarm);
  return alarm;
}

/** Every row of an alarm table, in order (the order is the manifest's and the deployment group's). */
export function gatingAlarms(
  scope: Construct,
  env: EnvironmentConfig,
  workload: string,
  rows: readonly GatingAlarmRow[],
): cloudwatch.Alarm[] {
  return rows.map(({ id, ...row }) => gatingAlarm(scope, id, { env, workload, ...row }));
}

/** Alarm names here are always literal (see gatingAlarm); read them back from the L1. */
export function resolveAlarmName(alarm: cloudwatch.Alarm): string {
  const cfn = alarm.node.defaultChild as { alarmName?: string };
  const name = cfn.alarmName;
  if (!name)
    throw new Error(`alarm ${alarm.node.path} has no literal alarmName; create it with gatingAlarm()`);
  return name;
}
