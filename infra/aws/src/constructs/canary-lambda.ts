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
import type { EnvironmentConfig, EnvironmentName } from '../config';
import { ReleaseManifestRegistry, targetLocation } from '../manifest/registry';
import { acknowledge } from '../nag';
import { BOOTSTRAP_RELEASE, resourceName, xrayServiceName } from '../naming';
import { WORKLOADS_DIR } from '../paths';
import { type GatingAlarmRow, gatingAlarms, resolveAlarmName } from './gating-alarm';

export interface CanaryLambdaProps {
  readonly env: EnvironmentConfig;
  readonly workload: string;
  readonly description: string;
  /** Environment variables besides RELEASE_VERSION (which is always set). */
  readonly environment?: Record<string, string>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** p99 duration (ms) above which the release is failed. */
  readonly p99LatencyMs: number;
}

/** The CodeDeploy configuration each environment's Lambda deployment groups default to. */
const LAMBDA_DEPLOYMENT_CONFIG: Record<
  EnvironmentName,
  { readonly config: codedeploy.ILambdaDeploymentConfig; readonly name: string }
> = {
  staging: {
    config: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    name: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  },
  production: {
    config: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_10MINUTES,
    name: 'CodeDeployDefault.LambdaCanary10Percent10Minutes',
  },
};

/** The alarm table of every function: errors, p99 duration and throttles of its `live` alias. */
function functionAlarmRows(alias: lambda.Alias, name: string, p99LatencyMs: number, period: Duration) {
  return [
    {
      id: 'ErrorsAlarm',
      signal: 'errors',
      description: `${name}:live invocation errors`,
      metric: alias.metricErrors({ period, statistic: 'Sum' }),
      threshold: 1,
    },
    {
      id: 'LatencyAlarm',
      signal: 'p99-latency',
      description: `${name}:live p99 duration over ${p99LatencyMs} ms`,
      metric: alias.metricDuration({ period, statistic: 'p99' }),
      threshold: p99LatencyMs,
    },
    {
      id: 'ThrottlesAlarm',
      signal: 'throttles',
      description: `${name}:live throttled invocations`,
      metric: alias.metricThrottles({ period, statistic: 'Sum' }),
      threshold: 5,
    },
  ] satisfies GatingAlarmRow[];
}

/**
 * A Lambda function released by canary behind its `live` alias. CloudFormation creates the function, one
 * bootstrap version and the alias on it, ONCE: the bootstrap code has a fixed asset hash and the alias has no
 * CodeDeploy update policy, so a later `cdk deploy` never publishes a version or moves the alias. Releases own
 * the code, the versions and the alias routing (Tollgate itself, or a CodeDeploy deployment it creates on the
 * deployment group below, which rolls back on failure or when a gating alarm fires).
 */
export class CanaryLambda extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly alias: lambda.Alias;
  readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
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
    this.role = this.createRole(functionName);
    this.function = this.createFunction(functionName);
    this.alias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: 'live',
      version: asInterface<lambda.IVersion>(
        new lambda.Version(this, 'BootstrapVersion', {
          lambda: this.function,
          description: `${BOOTSTRAP_RELEASE}: published once by CloudFormation; releases publish every later version`,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
      ),
      description: 'Production traffic; its versions and weights belong to releases (Tollgate or CodeDeploy)',
    });
    const alarms = gatingAlarms(
      this,
      env,
      workload,
      functionAlarmRows(this.alias, functionName, props.p99LatencyMs, env.alarmPeriod),
    );
    this.alarmNames.push(...alarms.map(resolveAlarmName));
    this.deploymentGroup = this.createDeploymentGroup(functionName, alarms);
    this.acknowledgeFindings();
  }

  /** Add an alarm that gates this function's releases (e.g. the HTTP API's 5xx in front of it). */
  addAlarm(alarm: cloudwatch.Alarm): void {
    this.deploymentGroup.addAlarm(alarm);
    this.alarmNames.push(resolveAlarmName(alarm));
  }

  /** Put this function into the release manifest; call once all gating alarms are added. */
  register(): void {
    const { env, workload } = this.props;
    const name = resourceName(env, workload);
    ReleaseManifestRegistry.of(this).registerTarget(workload, {
      platform: 'lambda',
      ...targetLocation(this, env),
      alarms: [...this.alarmNames],
      xrayServiceName: xrayServiceName(env, workload),
      logGroup: `/aws/lambda/${name}`,
      functionName: name,
      alias: 'live',
      codeDeploy: {
        application: name,
        deploymentGroup: name,
        deploymentConfig: LAMBDA_DEPLOYMENT_CONFIG[env.name].name,
      },
    });
  }

  /** Own role instead of AWSLambdaBasicExecutionRole: logs only to this function's log group. */
  private createRole(functionName: string): iam.Role {
    const role = new iam.Role(this, 'Role', {
      roleName: `${functionName}-fn`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    return role;
  }

  private createFunction(functionName: string): nodejs.NodejsFunction {
    const { props } = this;
    return new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry: path.join(WORKLOADS_DIR, props.workload, 'src', 'handler.ts'),
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
        RELEASE_VERSION: BOOTSTRAP_RELEASE,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        // The runtime ships AWS SDK v3; bundling it would only slow cold starts.
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
        // The bootstrap artifact: a fixed hash, so a later change to the workload's code never changes the
        // template (releases ship code with UpdateFunctionCode + PublishVersion).
        assetHash: `${props.workload}-${BOOTSTRAP_RELEASE}`,
      },
      projectRoot: path.resolve(WORKLOADS_DIR, '..'),
      depsLockFilePath: path.resolve(WORKLOADS_DIR, '..', 'package-lock.json'),
    });
  }

  private createDeploymentGroup(
    functionName: string,
    alarms: readonly cloudwatch.IAlarm[],
  ): codedeploy.LambdaDeploymentGroup {
    const group = new codedeploy.LambdaDeploymentGroup(this, 'DeploymentGroup', {
      application: new codedeploy.LambdaApplication(this, 'Application', { applicationName: functionName }),
      deploymentGroupName: functionName,
      alias: this.alias,
      deploymentConfig: LAMBDA_DEPLOYMENT_CONFIG[this.props.env.name].config,
      // A copy: CDK keeps the array it is given, and addAlarm() adds to the group itself.
      alarms: [...alarms],
      autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
    });
    // The group exists for the deployments a release creates (CreateDeployment names the versions). Without
    // this, CDK's CodeDeployLambdaAliasUpdate policy would make every alias change in a stack update a
    // CloudFormation-driven deployment of the template's version, i.e. move traffic back to the bootstrap.
    const aliasOptions: { updatePolicy?: unknown } = (this.alias.node.defaultChild as lambda.CfnAlias)
      .cfnOptions;
    aliasOptions.updatePolicy = undefined;
    return group;
  }

  private acknowledgeFindings(): void {
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
}
