import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { asInterface } from '../compat';
import type { EnvironmentConfig } from '../config';
import { ReleaseManifestRegistry, targetLocation } from '../manifest/registry';
import { acknowledge } from '../nag';
import { resourceName, xrayServiceName } from '../naming';
import { WORKLOADS_DIR } from '../paths';
import { gatingAlarm } from './gating-alarm';

export interface CanaryLambdaProps {
  readonly env: EnvironmentConfig;
  readonly workload: string;
  readonly description: string;
  /** Environment variables besides RELEASE_VERSION (which is always set). */
  readonly environment?: Record<string, string>;
  readonly releaseVersion: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** p99 duration (ms) above which the release is failed. */
  readonly p99LatencyMs: number;
  readonly deploymentConfig: codedeploy.ILambdaDeploymentConfig;
  readonly deploymentConfigName: string;
}

/**
 * A Lambda function released by canary: published version behind the `live` alias, traffic shifted
 * by a CodeDeploy deployment group that rolls back on failure or when a gating alarm fires.
 */
export class CanaryLambda extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly alias: lambda.Alias;
  readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
  private readonly alarms: cloudwatch.IAlarm[] = [];
  private readonly alarmNames: string[] = [];
  private readonly props: CanaryLambdaProps;

  constructor(scope: Construct, id: string, props: CanaryLambdaProps) {
    super(scope, id);
    this.props = props;
    const { env, workload } = props;
    const functionName = resourceName(env, workload);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: env.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Own role instead of AWSLambdaBasicExecutionRole: logs only to this function's log group.
    this.role = new iam.Role(this, 'Role', {
      roleName: `${functionName}-fn`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const entry = path.join(WORKLOADS_DIR, workload, 'src', 'handler.ts');
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      role: this.role,
      environment: {
        ...props.environment,
        RELEASE_VERSION: props.releaseVersion,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        // The runtime ships AWS SDK v3; bundling it would only slow cold starts.
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
      },
      projectRoot: path.resolve(WORKLOADS_DIR, '..'),
      depsLockFilePath: path.resolve(WORKLOADS_DIR, '..', 'package-lock.json'),
    });

    this.alias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: 'live',
      version: asInterface<lambda.IVersion>(this.function.currentVersion),
      description: 'Production traffic; shifted between versions by CodeDeploy during a release',
    });

    this.trackAlarm(
      gatingAlarm(this, 'ErrorsAlarm', {
        env,
        workload,
        signal: 'errors',
        description: `${functionName}:live invocation errors`,
        metric: this.alias.metricErrors({ period: env.alarmPeriod, statistic: 'Sum' }),
        threshold: 1,
      }),
    );
    this.trackAlarm(
      gatingAlarm(this, 'LatencyAlarm', {
        env,
        workload,
        signal: 'p99-latency',
        description: `${functionName}:live p99 duration over ${props.p99LatencyMs} ms`,
        metric: this.alias.metricDuration({ period: env.alarmPeriod, statistic: 'p99' }),
        threshold: props.p99LatencyMs,
      }),
    );
    this.trackAlarm(
      gatingAlarm(this, 'ThrottlesAlarm', {
        env,
        workload,
        signal: 'throttles',
        description: `${functionName}:live throttled invocations`,
        metric: this.alias.metricThrottles({ period: env.alarmPeriod, statistic: 'Sum' }),
        threshold: 5,
      }),
    );

    const application = new codedeploy.LambdaApplication(this, 'Application', {
      applicationName: functionName,
    });
    this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, 'DeploymentGroup', {
      application,
      deploymentGroupName: functionName,
      alias: this.alias,
      deploymentConfig: props.deploymentConfig,
      alarms: this.alarms,
      autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
    });

    acknowledge(this.role, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions (Active tracing); ' +
          'see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html',
        appliesTo: ['Resource::*'],
      },
    ]);
    acknowledge(this.deploymentGroup, [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'AWSCodeDeployRoleForLambdaLimited is the AWS-maintained least-privilege policy for CodeDeploy to shift ' +
          'Lambda alias weights and read alarms; it grants no data-plane access.',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited',
        ],
      },
    ]);
  }

  /** Add an alarm that gates this function's releases (e.g. the HTTP API's 5xx in front of it). */
  addAlarm(alarm: cloudwatch.Alarm): void {
    this.trackAlarm(alarm);
    this.deploymentGroup.addAlarm(alarm);
  }

  private trackAlarm(alarm: cloudwatch.Alarm): void {
    this.alarms.push(alarm);
    this.alarmNames.push(resolveAlarmName(alarm));
  }

  /** Put this function into the release manifest; call once all gating alarms are added. */
  register(): void {
    const { env, workload } = this.props;
    ReleaseManifestRegistry.of(this).registerTarget(workload, {
      platform: 'lambda',
      ...targetLocation(this, env),
      alarms: [...this.alarmNames],
      xrayServiceName: xrayServiceName(env, workload),
      logGroup: `/aws/lambda/${resourceName(env, workload)}`,
      functionName: resourceName(env, workload),
      alias: 'live',
      codeDeploy: {
        application: resourceName(env, workload),
        deploymentGroup: resourceName(env, workload),
        deploymentConfig: this.props.deploymentConfigName,
      },
    });
  }
}

/** Alarm names here are always literal (see gatingAlarm); read them back from the L1. */
export function resolveAlarmName(alarm: cloudwatch.Alarm): string {
  const cfn = alarm.node.defaultChild as { alarmName?: string };
  const name = cfn.alarmName;
  if (!name)
    throw new Error(`alarm ${alarm.node.path} has no literal alarmName; create it with gatingAlarm()`);
  return name;
}
