import type { EcsEc2Target } from '@tollgate/pipelines/targets/manifest';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { asInterface } from '../compat';
import type { EnvironmentConfig } from '../config';
import { ReleaseManifestRegistry, targetLocation } from '../manifest/registry';
import { acknowledge } from '../nag';
import { BOOTSTRAP_RELEASE, clusterName, resourceName } from '../naming';
import { bootstrapImage } from '../registry/bootstrap-image';
import { imageRepositoryUri } from '../registry/image-repositories';
import { createEc2Capacity, type Ec2Capacity } from './ec2-capacity';
import { gatingAlarm, resolveAlarmName } from './gating-alarm';
import { addTelemetrySidecar, otelEnvironment } from './telemetry-sidecar';
import { acknowledgeTaskRoleWildcards, taskRoles, workloadLogGroup } from './workload-container';

export const WORKER_PORT = 8080;
/**
 * Rolling update of a single-task worker: the new task starts (and must pass its health check) before the
 * old one stops, so a bad release never leaves the night without a worker. Two tasks may overlap for a few
 * minutes; a reconciliation run is read-only and idempotent, so an overlap at run time repeats a report.
 */
export const WORKER_ROLLING = { minHealthyPercent: 100, maxHealthyPercent: 200 } as const;

export interface Ec2WorkerServiceProps {
  readonly env: EnvironmentConfig;
  readonly workload: string;
  readonly cluster: ecs.Cluster;
  readonly environment?: Record<string, string>;
  /** Receives the Auto Scaling group's launch/terminate notifications. */
  readonly notificationsTopic: sns.ITopic;
  readonly instanceType?: ec2.InstanceType;
  /** A run longer than this fails the run-duration gate. */
  readonly maxRunMinutes: number;
}

/**
 * A long-running worker as an ECS service on EC2 capacity (an Auto Scaling group capacity provider):
 * ECS rolling deployments with the circuit breaker and alarm rollback, the ADOT sidecar, and gating alarms
 * on the worker's own EMF metrics (BatchFailures, RunDuration) and on its running task count.
 */
export class Ec2WorkerService extends Construct {
  readonly service: ecs.Ec2Service;
  readonly taskDefinition: ecs.Ec2TaskDefinition;
  readonly capacity: Ec2Capacity;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: Ec2WorkerServiceProps) {
    super(scope, id);
    const { env, workload, cluster } = props;
    const name = resourceName(env, workload);
    this.capacity = createEc2Capacity(this, {
      env,
      name,
      cluster,
      notificationsTopic: props.notificationsTopic,
      instanceType: props.instanceType,
    });
    const logGroup = workloadLogGroup(this, env, name);
    this.taskDefinition = this.createTaskDefinition(props, name, logGroup);
    this.alarms = this.createAlarms(props, name);
    const alarmNames = this.alarms.map(resolveAlarmName);

    const securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: cluster.vpc,
      description: `${name} tasks (no inbound: the health check runs inside the task)`,
      allowAllOutbound: true,
    });
    this.service = new ecs.Ec2Service(this, 'Service', {
      cluster: asInterface<ecs.ICluster>(cluster),
      serviceName: name,
      taskDefinition: this.taskDefinition,
      desiredCount: 1,
      capacityProviderStrategies: [
        { capacityProvider: this.capacity.capacityProvider.capacityProviderName, weight: 1 },
      ],
      securityGroups: [securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      deploymentController: { type: ecs.DeploymentControllerType.ECS },
      ...WORKER_ROLLING,
      circuitBreaker: { enable: true, rollback: true },
      deploymentAlarms: { alarmNames, behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
      enableECSManagedTags: true,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      // The family, not a revision: CloudFormation never moves the service to another revision after creation.
      taskDefinitionRevision: ecs.TaskDefinitionRevision.LATEST,
    });
    // deploymentAlarms names the alarms: they must exist before the service.
    for (const alarm of this.alarms) this.service.node.addDependency(alarm);
    this.acknowledgeFindings();
    ReleaseManifestRegistry.of(this).registerTarget(workload, this.releaseTarget(props, name, alarmNames));
  }

  private createTaskDefinition(
    props: Ec2WorkerServiceProps,
    name: string,
    logGroup: logs.LogGroup,
  ): ecs.Ec2TaskDefinition {
    const { workload } = props;
    const taskDefinition = new ecs.Ec2TaskDefinition(this, 'TaskDefinition', {
      family: name,
      networkMode: ecs.NetworkMode.AWS_VPC,
      ...taskRoles(this, name, {
        exec: `ECS task execution role of ${name}: pull its image, write its logs`,
        task: `Application role of ${name}: X-Ray writes of its ADOT sidecar, plus what its stack grants`,
      }),
    });
    const app = taskDefinition.addContainer('app', {
      containerName: workload,
      image: bootstrapImage(this, props.env, workload),
      essential: true,
      memoryReservationMiB: 1024,
      cpu: 1024,
      portMappings: [{ containerPort: WORKER_PORT, name: 'health' }],
      environment: {
        ...props.environment,
        PORT: String(WORKER_PORT),
        RELEASE_VERSION: BOOTSTRAP_RELEASE,
        ...otelEnvironment(),
      },
      healthCheck: {
        command: [
          'CMD-SHELL',
          `node -e "fetch('http://127.0.0.1:${WORKER_PORT}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`,
        ],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: workload }),
      // The worker lets a run in progress finish for SHUTDOWN_GRACE_SECONDS (100) after SIGTERM.
      stopTimeout: Duration.seconds(120),
    });
    // Added after the app container so the app stays the task definition's default container.
    const sidecar = addTelemetrySidecar(taskDefinition, logGroup);
    app.addContainerDependencies({ container: sidecar, condition: ecs.ContainerDependencyCondition.START });
    return taskDefinition;
  }

  /** Errors (BatchFailures), running tasks below desired, run duration: the gates of a release. */
  private createAlarms(props: Ec2WorkerServiceProps, name: string): cloudwatch.Alarm[] {
    const { env, workload } = props;
    const emf = (expression: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SELECT ${expression} FROM SCHEMA(SecureCart, release, service) WHERE service = '${workload}'`,
        usingMetrics: {},
        period: Duration.hours(1),
        label,
      });
    const taskCount = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName,
        dimensionsMap: { ClusterName: clusterName(env, 'ecs'), ServiceName: name },
        statistic: 'Average',
        period: env.alarmPeriod,
      });
    return [
      gatingAlarm(this, 'ErrorsAlarm', {
        env,
        workload,
        signal: 'errors',
        description: `${name} runs that failed or were abandoned (BatchFailures, any release)`,
        metric: emf('SUM(BatchFailures)', 'batch failures'),
        threshold: 1,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      }),
      gatingAlarm(this, 'RunningTasksAlarm', {
        env,
        workload,
        signal: 'running-tasks',
        description: `${name} has fewer running tasks than desired (crash loop, no capacity, failed health checks)`,
        metric: new cloudwatch.MathExpression({
          expression: 'desired - running',
          usingMetrics: { desired: taskCount('DesiredTaskCount'), running: taskCount('RunningTaskCount') },
          period: env.alarmPeriod,
          label: 'tasks missing',
        }),
        threshold: 1,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      }),
      gatingAlarm(this, 'RunDurationAlarm', {
        env,
        workload,
        signal: 'run-duration',
        description: `${name} nightly run took longer than ${props.maxRunMinutes} min (RunDuration)`,
        metric: emf('MAX(RunDuration)', 'run duration (ms)'),
        threshold: props.maxRunMinutes * 60_000,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      }),
    ];
  }

  private acknowledgeFindings(): void {
    acknowledge(this.taskDefinition, [
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'Only non-secret configuration is passed as environment variables (PORT, RELEASE_VERSION, RECONCILE_AT, ' +
          'EXPORT_BUCKET, AWS_REGION, OTEL_* collector settings, the collector config); the worker holds no ' +
          'secrets (S3 access comes from the task role).',
      },
    ]);
    acknowledgeTaskRoleWildcards(this.taskDefinition);
  }

  private releaseTarget(props: Ec2WorkerServiceProps, name: string, alarmNames: string[]): EcsEc2Target {
    const { env, workload } = props;
    return {
      platform: 'ecs-ec2',
      ...targetLocation(this, env),
      alarms: alarmNames,
      xrayServiceName: workload,
      logGroup: `/ecs/${name}`,
      strategy: 'rolling',
      clusterName: clusterName(env, 'ecs'),
      serviceName: name,
      taskFamily: name,
      containerName: workload,
      imageRepository: imageRepositoryUri(env, workload),
      capacityProvider: `${name}-cp`,
      autoScalingGroupName: `${name}-capacity`,
      rolling: {
        minHealthyPercent: WORKER_ROLLING.minHealthyPercent,
        maxPercent: WORKER_ROLLING.maxHealthyPercent,
      },
    };
  }
}
