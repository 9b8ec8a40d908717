import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
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

export interface ScheduledEc2TaskProps {
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
 * A nightly batch job on ECS with EC2 capacity (an Auto Scaling group capacity provider), started by
 * an EventBridge schedule. The workload (workloads/order-batch) runs once and exits, so it is NOT an
 * ECS service: a service would restart it in a loop. A release registers a new task definition
 * revision and points the schedule at it; the next run is gated by the alarms below, and rolling
 * back points the schedule at the previous revision.
 */
export class ScheduledEc2Task extends Construct {
  readonly taskDefinition: ecs.Ec2TaskDefinition;
  readonly schedule: events.Rule;
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly capacityProvider: ecs.AsgCapacityProvider;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ScheduledEc2TaskProps) {
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
    this.taskDefinition = new ecs.Ec2TaskDefinition(this, 'TaskDefinition', {
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
    const taskDefinition = this.taskDefinition;
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
      environment: {
        ...props.environment,
        RELEASE_VERSION: props.releaseVersion,
        ...otelEnvironment(),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: workload }),
      stopTimeout: Duration.seconds(120),
      // BATCH_INPUT_DIR / BATCH_DATE default inside the job (/data, yesterday).
    });
    // Added after the app container so the app stays the task definition's default container.
    const sidecar = addTelemetrySidecar(taskDefinition, logGroup);
    app.addContainerDependencies({ container: sidecar, condition: ecs.ContainerDependencyCondition.START });

    // The job runs nightly on the EC2 capacity; EventBridge starts it with its own narrow role.
    const eventsRole = new iam.Role(this, 'ScheduleRole', {
      roleName: `${name}-events`,
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: `EventBridge starts ${name} tasks`,
    });
    const taskSecurityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: cluster.vpc,
      description: `${name} tasks (no inbound)`,
      allowAllOutbound: true,
    });
    this.schedule = new events.Rule(this, 'Schedule', {
      ruleName: `${name}-nightly`,
      description: `Runs ${name} every night (reconciles yesterday's orders and payments)`,
      schedule: events.Schedule.cron({ minute: '30', hour: '2' }),
      targets: [
        new targets.EcsTask({
          cluster: asInterface<ecs.ICluster>(cluster),
          taskDefinition: asInterface<ecs.ITaskDefinition>(taskDefinition),
          launchType: ecs.LaunchType.EC2,
          role: eventsRole,
          subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          securityGroups: [taskSecurityGroup],
        }),
      ],
    });

    // Gating alarms: the job's own failure metric (EMF from workloads/shared) and failed starts.
    this.alarms = [
      gatingAlarm(this, 'ErrorsAlarm', {
        env,
        workload,
        signal: 'errors',
        description: `${name} runs that failed (BatchFailures, any release)`,
        metric: new cloudwatch.MathExpression({
          expression: `SELECT SUM(BatchFailures) FROM SCHEMA(SecureCart, release, service) WHERE service = '${workload}'`,
          usingMetrics: {},
          period: Duration.hours(1),
          label: 'batch failures',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      }),
      gatingAlarm(this, 'FailedStartsAlarm', {
        env,
        workload,
        signal: 'failed-starts',
        description: `${name} schedule could not start the task`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName: 'FailedInvocations',
          dimensionsMap: { RuleName: `${name}-nightly` },
          statistic: 'Sum',
          period: Duration.hours(1),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      }),
    ];
    const alarmNames = this.alarms.map(resolveAlarmName);

    acknowledge(taskDefinition, [
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'Only non-secret configuration is passed as environment variables (RELEASE_VERSION, OTEL_* ' +
          'collector settings).',
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
    const clusterLogicalId = Stack.of(cluster).getLogicalId(cluster.node.defaultChild as ecs.CfnCluster);
    acknowledge(eventsRole, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'CDK lets EventBridge tag the tasks it starts (ecs:TagResource) on task/<this cluster>/*; task ids are ' +
          'generated at run time, and the account is a wildcard only in the ARN pattern CDK renders.',
        appliesTo: [`Resource::arn:<AWS::Partition>:ecs:${env.region}:*:task/<${clusterLogicalId}>/*`],
      },
    ]);
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
      strategy: 'scheduled-task',
      clusterName: clusterName(env, 'ecs'),
      scheduleRuleName: `${name}-nightly`,
      taskFamily: name,
      containerName: workload,
      capacityProvider: `${name}-cp`,
      autoScalingGroupName: asgName,
    });
  }
}
