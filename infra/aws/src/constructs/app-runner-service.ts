import * as apprunner from 'aws-cdk-lib/aws-apprunner';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { ReleaseManifestRegistry, targetLocation } from '../manifest/registry';
import { acknowledge } from '../nag';
import { BOOTSTRAP_RELEASE, resourceName } from '../naming';
import { workloadRepository } from '../registry/bootstrap-image';
import { imageRepositoryUri } from '../registry/image-repositories';
import { type GatingAlarmRow, gatingAlarms, resolveAlarmName } from './gating-alarm';
import { otelEnvironment, xrayWriteStatement } from './telemetry-sidecar';

export interface AppRunnerWorkloadProps {
  readonly env: EnvironmentConfig;
  readonly workload: string;
  readonly healthCheckPath: string;
  /** p99 request latency (ms) above which the release is failed. */
  readonly p99LatencyMs: number;
  readonly environment?: Record<string, string>;
}

/**
 * An App Runner service from the workload's container image with X-Ray tracing (observability
 * configuration with the AWSXRAY vendor). App Runner has no traffic splitting: a release is a
 * deployment that App Runner health-checks and Tollgate gates on the alarms below, rolling back by
 * redeploying the previous image.
 */
export class AppRunnerWorkload extends Construct {
  readonly service: apprunner.CfnService;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: AppRunnerWorkloadProps) {
    super(scope, id);
    const { env, workload } = props;
    const name = resourceName(env, workload);

    const repository = workloadRepository(this, env, workload);

    const accessRole = new iam.Role(this, 'AccessRole', {
      roleName: `${name}-access`,
      assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com'),
      description: `App Runner pulls ${name}'s images from its ECR repository`,
    });
    repository.grantPull(accessRole);

    const instanceRole = new iam.Role(this, 'InstanceRole', {
      roleName: `${name}-instance`,
      assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com'),
      description: `Application role of ${name}`,
    });
    instanceRole.addToPolicy(xrayWriteStatement());

    const observability = new apprunner.CfnObservabilityConfiguration(this, 'Observability', {
      observabilityConfigurationName: `${name}-xray`.slice(0, 32),
      traceConfiguration: { vendor: 'AWSXRAY' },
    });
    const autoScaling = new apprunner.CfnAutoScalingConfiguration(this, 'AutoScaling', {
      autoScalingConfigurationName: `${name}`.slice(0, 32),
      minSize: env.minCapacity,
      maxSize: env.maxCapacity * 2,
      maxConcurrency: 80,
    });

    this.service = new apprunner.CfnService(this, 'Service', {
      serviceName: name,
      sourceConfiguration: {
        autoDeploymentsEnabled: false,
        authenticationConfiguration: { accessRoleArn: accessRole.roleArn },
        imageRepository: {
          imageRepositoryType: 'ECR',
          // Fixed: a later cdk deploy never changes the image (releases own it, through UpdateService).
          imageIdentifier: `${imageRepositoryUri(env, workload)}:${BOOTSTRAP_RELEASE}`,
          imageConfiguration: {
            port: '8080',
            runtimeEnvironmentVariables: Object.entries({
              ...props.environment,
              PORT: '8080',
              RELEASE_VERSION: BOOTSTRAP_RELEASE,
              ...otelEnvironment(),
              // App Runner runs the collector for us; the app sends OTLP to it on localhost.
              OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
            }).map(([key, value]) => ({ name: key, value })),
          },
        },
      },
      instanceConfiguration: { cpu: '1 vCPU', memory: '2 GB', instanceRoleArn: instanceRole.roleArn },
      healthCheckConfiguration: {
        protocol: 'HTTP',
        path: props.healthCheckPath,
        interval: 5,
        timeout: 2,
        healthyThreshold: 1,
        unhealthyThreshold: 3,
      },
      observabilityConfiguration: {
        observabilityEnabled: true,
        observabilityConfigurationArn: observability.attrObservabilityConfigurationArn,
      },
      autoScalingConfigurationArn: autoScaling.attrAutoScalingConfigurationArn,
    });
    this.service.node.addDependency(accessRole);

    const metric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/AppRunner',
        metricName,
        dimensionsMap: { ServiceName: name, ServiceID: this.service.attrServiceId },
        statistic,
        period: env.alarmPeriod,
      });
    this.alarms = gatingAlarms(this, env, workload, appRunnerAlarmRows(name, metric, props.p99LatencyMs));

    acknowledge(
      [accessRole, instanceRole],
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'ecr:GetAuthorizationToken (image pull) and X-Ray PutTraceSegments/PutTelemetryRecords/GetSampling* do ' +
            "not support resource-level permissions; the image pull itself is limited to the workload's own repository.",
          appliesTo: ['Resource::*'],
        },
      ],
    );

    ReleaseManifestRegistry.of(this).registerTarget(workload, {
      platform: 'apprunner',
      ...targetLocation(this, env),
      alarms: this.alarms.map(resolveAlarmName),
      xrayServiceName: workload,
      logGroup: `/aws/apprunner/${name}`,
      serviceName: name,
      imageRepository: imageRepositoryUri(env, workload),
    });
  }
}

/** App Runner's request metrics as gates: 5xx, 4xx (a broken client or route) and p99 latency. */
function appRunnerAlarmRows(
  name: string,
  metric: (metricName: string, statistic: string) => cloudwatch.IMetric,
  p99LatencyMs: number,
): GatingAlarmRow[] {
  return [
    {
      id: 'Http5xxAlarm',
      signal: '5xx',
      description: `${name} 5xx responses`,
      metric: metric('5xxStatusResponses', 'Sum'),
      threshold: 5,
    },
    {
      id: 'ErrorsAlarm',
      signal: 'errors',
      description: `${name} 4xx responses (bad requests from a broken client or route)`,
      metric: metric('4xxStatusResponses', 'Sum'),
      threshold: 50,
    },
    {
      id: 'LatencyAlarm',
      signal: 'p99-latency',
      description: `${name} p99 request latency over ${p99LatencyMs} ms`,
      metric: metric('RequestLatency', 'p99'),
      threshold: p99LatencyMs,
    },
  ];
}
