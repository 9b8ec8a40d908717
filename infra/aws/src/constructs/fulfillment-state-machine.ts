import { defineFulfillment, type FulfillmentDependencies } from '@securecart/fulfillment/definition';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { ReleaseManifestRegistry, targetLocation } from '../manifest/registry';
import { acknowledge } from '../nag';
import { resourceName } from '../naming';
import { resolveAlarmName } from './canary-lambda';
import { gatingAlarm } from './gating-alarm';

export interface FulfillmentStateMachineProps extends FulfillmentDependencies {
  readonly env: EnvironmentConfig;
  /** p99 execution time (ms) above which a release of the workflow is failed. */
  readonly p99ExecutionMs: number;
}

const WORKLOAD = 'fulfillment';

/**
 * The fulfillment workflow as a STANDARD state machine with X-Ray tracing and ALL-level logging,
 * published as a version behind the `live` alias. CloudFormation shifts the alias to a new version
 * by canary (10% for 5 minutes) and rolls back if a gating alarm fires.
 */
export class FulfillmentStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly aliasArn: string;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: FulfillmentStateMachineProps) {
    super(scope, id);
    const { env } = props;
    const name = resourceName(env, WORKLOAD);
    const stack = Stack.of(this);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: env.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(defineFulfillment(this, props)),
      tracingEnabled: true,
      timeout: Duration.minutes(15),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: 'SecureCart order fulfillment: fraud check, payment, inventory and customer notification',
    });

    const version = new sfn.CfnStateMachineVersion(this, 'Version', {
      stateMachineArn: this.stateMachine.stateMachineArn,
      // Changes whenever the definition changes, so every update publishes a new version.
      stateMachineRevisionId: this.stateMachine.stateMachineRevisionId,
      description: `${name} published by CloudFormation`,
    });

    this.aliasArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: `${name}:live`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const aliasMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/States',
        metricName,
        dimensionsMap: { StateMachineArn: this.aliasArn },
        period: env.alarmPeriod,
        statistic,
      });

    this.alarms = [
      gatingAlarm(this, 'FailedAlarm', {
        env,
        workload: WORKLOAD,
        signal: 'errors',
        description: `${name}:live executions failed`,
        metric: aliasMetric('ExecutionsFailed', 'Sum'),
        threshold: 1,
      }),
      gatingAlarm(this, 'TimedOutAlarm', {
        env,
        workload: WORKLOAD,
        signal: 'timeouts',
        description: `${name}:live executions timed out`,
        metric: aliasMetric('ExecutionsTimedOut', 'Sum'),
        threshold: 1,
      }),
      gatingAlarm(this, 'LatencyAlarm', {
        env,
        workload: WORKLOAD,
        signal: 'p99-latency',
        description: `${name}:live p99 execution time over ${props.p99ExecutionMs} ms`,
        metric: aliasMetric('ExecutionTime', 'p99'),
        threshold: props.p99ExecutionMs,
      }),
    ];

    const alias = new sfn.CfnStateMachineAlias(this, 'LiveAlias', {
      name: 'live',
      description: 'Traffic entry point used by order-processing',
      deploymentPreference: {
        stateMachineVersionArn: version.attrArn,
        type: 'CANARY',
        percentage: 10,
        interval: 5,
        alarms: this.alarms.map((a) => a.alarmName),
      },
    });
    alias.node.addDependency(...this.alarms);

    acknowledge(this.stateMachine, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'X-Ray trace and CloudWatch Logs delivery actions (xray:PutTraceSegments, logs:CreateLogDelivery, ...) do ' +
          'not support resource-level permissions; Lambda invoke grants are on the live alias ARN plus its ' +
          'qualifier wildcard that CDK adds for LambdaInvoke.',
        appliesTo: ['Resource::*'],
      },
    ]);

    ReleaseManifestRegistry.of(this).registerTarget(WORKLOAD, {
      platform: 'stepfunctions',
      ...targetLocation(this, env),
      alarms: this.alarms.map(resolveAlarmName),
      xrayServiceName: name,
      logGroup: `/aws/vendedlogs/states/${name}`,
      stateMachineName: name,
      alias: 'live',
    });
  }
}
