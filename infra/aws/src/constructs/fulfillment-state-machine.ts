import { defineFulfillment, type FulfillmentDependencies } from '@securecart/fulfillment/definition';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { ReleaseManifestRegistry, targetLocation } from '../manifest/registry';
import { acknowledge } from '../nag';
import { BOOTSTRAP_RELEASE, resourceName } from '../naming';
import { gatingAlarms, resolveAlarmName } from './gating-alarm';

export interface FulfillmentStateMachineProps extends FulfillmentDependencies {
  readonly env: EnvironmentConfig;
  /** p99 execution time (ms) above which a release of the workflow is failed. */
  readonly p99ExecutionMs: number;
}

const WORKLOAD = 'fulfillment';

/**
 * The fulfillment workflow as a STANDARD state machine with X-Ray tracing and ALL-level logging, behind the
 * `live` alias. CloudFormation publishes ONE bootstrap version and points the alias at it (routing 100%),
 * never again: the version's properties are fixed (no revision id), so a definition change updates the state
 * machine without publishing, and the alias has no deployment preference. Releases own the versions and the
 * alias routing; the gating alarms are the release's.
 */
export class FulfillmentStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly aliasArn: string;
  /** `arn:…:execution:<name>:*`: the executions of this state machine (through any alias or version). */
  readonly executionsArn: string;
  readonly env: EnvironmentConfig;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: FulfillmentStateMachineProps) {
    super(scope, id);
    const { env } = props;
    this.env = env;
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

    // No stateMachineRevisionId: the version is published once, at creation, and never replaced.
    const version = new sfn.CfnStateMachineVersion(this, 'BootstrapVersion', {
      stateMachineArn: this.stateMachine.stateMachineArn,
      description: `${BOOTSTRAP_RELEASE}: published once by CloudFormation; releases publish every later version`,
    });
    version.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.aliasArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: `${name}:live`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionsArn = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${name}:*`,
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

    this.alarms = gatingAlarms(this, env, WORKLOAD, [
      {
        id: 'FailedAlarm',
        signal: 'errors',
        description: `${name}:live executions failed`,
        metric: aliasMetric('ExecutionsFailed', 'Sum'),
        threshold: 1,
      },
      {
        id: 'TimedOutAlarm',
        signal: 'timeouts',
        description: `${name}:live executions timed out`,
        metric: aliasMetric('ExecutionsTimedOut', 'Sum'),
        threshold: 1,
      },
      {
        id: 'LatencyAlarm',
        signal: 'p99-latency',
        description: `${name}:live p99 execution time over ${props.p99ExecutionMs} ms`,
        metric: aliasMetric('ExecutionTime', 'p99'),
        threshold: props.p99ExecutionMs,
      },
    ]);

    new sfn.CfnStateMachineAlias(this, 'LiveAlias', {
      name: 'live',
      description:
        'Traffic entry point used by order-processing; its versions and weights belong to releases',
      routingConfiguration: [{ stateMachineVersionArn: version.attrArn, weight: 100 }],
    });

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
