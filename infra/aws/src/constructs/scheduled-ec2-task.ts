import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { asInterface } from '../compat';
import type { EnvironmentConfig } from '../config';
import { ReleaseManifestRegistry } from '../manifest/registry';
import { acknowledge } from '../nag';
import { clusterName, resourceName } from '../naming';
import { WORKLOADS_DIR } from '../paths';
import { resolveAlarmName } from './canary-lambda';
import { gatingAlarm } from './gating-alarm';
import { addTelemetrySidecar, otelEnvironment } from './telemetry-sidecar';

export interface RollingEc2ServiceProps {
  readonly env: EnvironmentConfig;
  readonly workload: string;
  readonly cluster: ecs.Cluster;
  readonly releaseVersion: string;
  readonly environment?: Record<string, string>;
  /** Receives the Auto Scaling group's launch/terminate notifications. */
  readonly notificationsTopic: sns.ITopic;
  readonly instanceType?: ec2.InstanceType;
}

/**
 * A long-running batch service on ECS with EC2 capacity (an Auto Scaling group capacity provider),
 * released by ECS rolling update: the deployment circuit breaker and the gating alarms
 * (`deploymentAlarms`) both roll the service back automatically.
 */
export class RollingEc2Service extends Construct {
  readonly service: ecs.Ec2Service;
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly capacityProvider: ecs.AsgCapacityProvider;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RollingEc2ServiceProps) {
    super(scope, id);
    const { env, workload, cluster } = props;
    const name = resourceName(env, workload);
    const asgName = `${name}-capacity`;

    const instanceSecurityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc: cluster.vpc,
      description: `${name} container instances (no inbound)`,
      allowAllOutbound: true,
    });
    const instanceRole = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `${name} ECS container instances`,
    });
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
      instanceType: props.instanceType ?? new ec2.InstanceType('m7i.large'),
      requireImdsv2: true,
      detailedMonitoring: true,
      securityGroup: instanceSecurityGroup,
      role: instanceRole,
      userData: ec2.UserData.forLinux(),
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
        },
      ],
    });
    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Capacity', {
      vpc: cluster.vpc,
      autoScalingGroupName: asgName,
      launchTemplate,
      minCapacity: 1,
      maxCapacity: env.maxCapacity,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      newInstancesProtectedFromScaleIn: true,
      notifications: [{ topic: props.notificationsTopic }],
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.minutes(2) }),
    });
    this.capacityProvider = new ecs.AsgCapacityProvider(this, 'CapacityProvider', {
      capacityProviderName: `${name}-cp`,
      autoScalingGroup: this.autoScalingGroup,
      enableManagedScaling: true,
      enableManagedTerminationProtection: true,
      targetCapacityPercent: 90,
    });
    cluster.addAsgCapacityProvider(this.capacityProvider);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/ecs/${name}`,
      retention: env.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const taskDefinition = new ecs.Ec2TaskDefinition(this, 'TaskDefinition', {
      family: name,
      networkMode: ecs.NetworkMode.AWS_VPC,
      executionRole: new iam.Role(this, 'ExecutionRole', {
        roleName: `${name}-exec`,
        assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      }),
      taskRole: new iam.Role(this, 'TaskRole', {
        roleName: `${name}-task`,
        assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      }),
    });
    const app = taskDefinition.addContainer('app', {
      containerName: workload,
      image: ecs.ContainerImage.fromAsset(WORKLOADS_DIR, {
        file: `${workload}/Dockerfile`,
        platform: Platform.LINUX_AMD64,
        exclude: ['**/node_modules', '**/test', '**/*.test.ts', 'fulfillment'],
      }),
      essential: true,
      memoryReservationMiB: 1024,
      cpu: 1024,
      portMappings: [{ containerPort: 8080, name: 'http' }],
      environment: {
        ...props.environment,
        PORT: '8080',
        RELEASE_VERSION: props.releaseVersion,
        ...otelEnvironment(),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: workload }),
      stopTimeout: Duration.seconds(120),
    });
    // Added after the app container so the app stays the task definition's default container.
    const sidecar = addTelemetrySidecar(taskDefinition, logGroup);
    app.addContainerDependencies({ container: sidecar, condition: ecs.ContainerDependencyCondition.START });

    // Gating alarms: Container Insights task health and the service's resource saturation.
    const serviceDims = { ClusterName: clusterName(env, 'ecs'), ServiceName: name };
    this.alarms = [
      gatingAlarm(this, 'ErrorsAlarm', {
        env,
        workload,
        signal: 'errors',
        description: `${name} tasks stopped unexpectedly (running below desired)`,
        metric: new cloudwatch.MathExpression({
          expression: 'desired - running',
          usingMetrics: {
            desired: new cloudwatch.Metric({
              namespace: 'ECS/ContainerInsights',
              metricName: 'DesiredTaskCount',
              dimensionsMap: serviceDims,
              statistic: 'Average',
              period: env.alarmPeriod,
            }),
            running: new cloudwatch.Metric({
              namespace: 'ECS/ContainerInsights',
              metricName: 'RunningTaskCount',
              dimensionsMap: serviceDims,
              statistic: 'Average',
              period: env.alarmPeriod,
            }),
          },
          period: env.alarmPeriod,
          label: 'tasks missing',
        }),
        threshold: 1,
        evaluationPeriods: 5,
        datapointsToAlarm: 4,
      }),
      gatingAlarm(this, 'MemoryAlarm', {
        env,
        workload,
        signal: 'memory',
        description: `${name} memory utilisation above 90%`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/ECS',
          metricName: 'MemoryUtilization',
          dimensionsMap: serviceDims,
          statistic: 'Maximum',
          period: env.alarmPeriod,
        }),
        threshold: 90,
      }),
    ];
    const alarmNames = this.alarms.map(resolveAlarmName);

    const serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: cluster.vpc,
      description: `${name} tasks (no inbound; pulls work from its queue)`,
      allowAllOutbound: true,
    });
    this.service = new ecs.Ec2Service(this, 'Service', {
      cluster: asInterface<ecs.ICluster>(cluster),
      serviceName: name,
      taskDefinition,
      desiredCount: 1,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      securityGroups: [serviceSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      capacityProviderStrategies: [
        { capacityProvider: this.capacityProvider.capacityProviderName, weight: 1 },
      ],
      deploymentController: { type: ecs.DeploymentControllerType.ECS },
      circuitBreaker: { enable: true, rollback: true },
      deploymentAlarms: { alarmNames, behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
      placementStrategies: [ecs.PlacementStrategy.spreadAcrossInstances()],
      enableECSManagedTags: true,
    });
    for (const alarm of this.alarms) this.service.node.addDependency(alarm);
    const scaling = this.service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: env.maxCapacity });
    scaling.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: 70 });

    acknowledge(taskDefinition, [
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'Only non-secret configuration is passed as environment variables (PORT, RELEASE_VERSION, OTEL_* ' +
          'collector settings, queue URL).',
      },
    ]);
    acknowledge(
      [taskDefinition.taskRole, taskDefinition.obtainExecutionRole()],
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'X-Ray PutTraceSegments/PutTelemetryRecords/GetSampling* (ADOT sidecar) and ecr:GetAuthorizationToken ' +
            '(image pull) do not support resource-level permissions.',
          appliesTo: ['Resource::*'],
        },
      ],
    );
    acknowledge(instanceRole, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'ECS container-agent permissions generated by CDK for the capacity provider: ecs:Submit* (task and ' +
          'container state changes) and the agent calls without resource-level permissions (ecs:DiscoverPollEndpoint, ' +
          'ecr:GetAuthorizationToken); the cluster-scoped calls are limited to this cluster by CDK.',
        appliesTo: ['Resource::*', 'Action::ecs:Submit*'],
      },
    ]);

    ReleaseManifestRegistry.of(this).registerTarget(workload, {
      platform: 'ecs-ec2',
      environment: env.name,
      account: env.account,
      region: env.region,
      stack: Stack.of(this).stackName,
      alarms: alarmNames,
      xrayServiceName: workload,
      logGroup: `/ecs/${name}`,
      strategy: 'rolling',
      clusterName: clusterName(env, 'ecs'),
      serviceName: name,
      taskFamily: name,
      containerName: workload,
      capacityProvider: `${name}-cp`,
      autoScalingGroupName: asgName,
    });
  }
}
