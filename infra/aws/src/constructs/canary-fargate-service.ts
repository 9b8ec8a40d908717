import type { EcsTarget } from '@tollgate/pipelines/targets/manifest';
import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { ReleaseManifestRegistry, targetLocation } from '../manifest/registry';
import { acknowledge } from '../nag';
import { BOOTSTRAP_RELEASE, clusterName, resourceName, shortName } from '../naming';
import { bootstrapImage } from '../registry/bootstrap-image';
import { imageRepositoryUri } from '../registry/image-repositories';
import { fargateAlarms } from './fargate-alarms';
import {
  CONTAINER_PORT,
  createFargateLoadBalancer,
  type FargateLoadBalancer,
  TEST_LISTENER_PORT,
} from './fargate-load-balancer';
import {
  blueGreenRelease,
  CANARY_STEP_PERCENT,
  CODEDEPLOY_ECS_CONFIG,
  ecsCanaryRelease,
} from './fargate-release';
import { resolveAlarmName } from './gating-alarm';
import { addTelemetrySidecar, otelEnvironment } from './telemetry-sidecar';
import { acknowledgeTaskRoleWildcards, taskRoles, workloadLogGroup } from './workload-container';

export { CONTAINER_PORT, TEST_LISTENER_PORT } from './fargate-load-balancer';

/**
 * `codedeploy-blue-green`: the service uses the CODE_DEPLOY controller; a release registers a task
 * definition and creates a CodeDeploy deployment that shifts the production listener between the
 * two target groups (canary 10% then all), rolling back on a gating alarm.
 *
 * `ecs-canary`: the service uses the ECS controller with the native CANARY deployment strategy; ECS
 * itself moves the production listener rule's weights between the two target groups, with the same
 * alarms as `deploymentAlarms` and the deployment circuit breaker for rollback.
 */
export type FargateReleaseStrategy = 'codedeploy-blue-green' | 'ecs-canary';

export interface CanaryFargateServiceProps {
  readonly env: EnvironmentConfig;
  readonly workload: string;
  readonly cluster: ecs.ICluster;
  readonly strategy: FargateReleaseStrategy;
  /** Whether the ALB faces the internet (customer traffic) or only the VPC. */
  readonly internetFacing: boolean;
  readonly accessLogBucket: s3.IBucket;
  readonly environment?: Record<string, string>;
  /**
   * Secrets injected by ECS at task start (`secrets` in the container definition); the execution role
   * gets read access to exactly these.
   */
  readonly secrets?: Record<string, ecs.Secret>;
  readonly healthCheckPath: string;
  /** p99 target response time (seconds) above which the release is failed. */
  readonly p99LatencySeconds: number;
  /**
   * ACM certificate for the production listener (HTTPS 443, port 80 redirects to it). Without one the listener
   * is HTTP 80, which synth refuses for an internet-facing load balancer in production.
   */
  readonly certificateArn?: string;
  readonly cpu?: number;
  readonly memoryLimitMiB?: number;
}

/**
 * A load-balanced Fargate service released by canary: task definition with the ADOT sidecar, ALB with
 * blue/green target groups, gating alarms, the release wiring of its strategy, CPU/memory auto scaling.
 */
export class CanaryFargateService extends Construct {
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly productionListener: elbv2.ApplicationListener;
  readonly testListener: elbv2.ApplicationListener;
  readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly alarms: cloudwatch.Alarm[];
  readonly deploymentGroup?: codedeploy.EcsDeploymentGroup;
  readonly albSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: CanaryFargateServiceProps) {
    super(scope, id);
    const { env, workload, strategy } = props;
    const name = resourceName(env, workload);
    const vpc = props.cluster.vpc;

    const logGroup = workloadLogGroup(this, env, name);
    this.taskDefinition = this.createTaskDefinition(props, name, logGroup);

    const lb = createFargateLoadBalancer(this, {
      env,
      workload,
      vpc,
      internetFacing: props.internetFacing,
      accessLogBucket: props.accessLogBucket,
      healthCheckPath: props.healthCheckPath,
      certificateArn: props.certificateArn,
      blueGreen: strategy === 'codedeploy-blue-green',
    });
    this.loadBalancer = lb.loadBalancer;
    this.albSecurityGroup = lb.securityGroup;
    this.productionListener = lb.productionListener;
    this.testListener = lb.testListener;
    this.blueTargetGroup = lb.blueTargetGroup;
    this.greenTargetGroup = lb.greenTargetGroup;

    const serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc,
      description: `${name} tasks`,
      allowAllOutbound: true,
    });
    serviceSecurityGroup.addIngressRule(
      lb.securityGroup,
      ec2.Port.tcp(CONTAINER_PORT),
      'from its load balancer',
    );
    lb.securityGroup.addEgressRule(serviceSecurityGroup, ec2.Port.tcp(CONTAINER_PORT), 'to its tasks');

    this.alarms = fargateAlarms(this, env, workload, lb.loadBalancer, props.p99LatencySeconds);
    const alarmNames = this.alarms.map(resolveAlarmName);
    const serviceProps = {
      cluster: props.cluster,
      serviceName: name,
      taskDefinition: this.taskDefinition,
      desiredCount: env.minCapacity,
      minHealthyPercent: 100,
      securityGroups: [serviceSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      enableECSManagedTags: true,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      healthCheckGracePeriod: Duration.seconds(60),
      // The service names its task family, not a revision: after creation CloudFormation never moves the
      // service to another revision (releases own the task definition the service runs).
      taskDefinitionRevision: ecs.TaskDefinitionRevision.LATEST,
    } satisfies ecs.FargateServiceProps;

    if (strategy === 'codedeploy-blue-green') {
      const release = blueGreenRelease(this, name, serviceProps, lb, this.alarms);
      this.service = release.service;
      this.deploymentGroup = release.deploymentGroup;
    } else {
      this.service = ecsCanaryRelease(this, workload, serviceProps, lb, this.alarms, alarmNames);
    }
    this.addAutoScaling(env);
    this.acknowledgeFindings(props);
    ReleaseManifestRegistry.of(this).registerTarget(workload, this.releaseTarget(props, lb, alarmNames));
  }

  private createTaskDefinition(
    props: CanaryFargateServiceProps,
    name: string,
    logGroup: logs.LogGroup,
  ): ecs.FargateTaskDefinition {
    const { workload } = props;
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: name,
      cpu: props.cpu ?? 512,
      memoryLimitMiB: props.memoryLimitMiB ?? 1024,
      ...taskRoles(this, name, {
        exec: `ECS task execution role of ${name}: pull its image, write its logs`,
        task: `Application role of ${name}`,
      }),
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    const app = taskDefinition.addContainer('app', {
      containerName: workload,
      image: bootstrapImage(this, props.env, workload),
      essential: true,
      portMappings: [{ containerPort: CONTAINER_PORT, name: 'http' }],
      environment: {
        ...props.environment,
        PORT: String(CONTAINER_PORT),
        RELEASE_VERSION: BOOTSTRAP_RELEASE,
        ...otelEnvironment(),
      },
      ...(props.secrets ? { secrets: props.secrets } : {}),
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: workload }),
      stopTimeout: Duration.seconds(30),
    });
    // Added after the app container so the app stays the task definition's default container.
    const sidecar = addTelemetrySidecar(taskDefinition, logGroup);
    app.addContainerDependencies({ container: sidecar, condition: ecs.ContainerDependencyCondition.START });
    return taskDefinition;
  }

  private addAutoScaling(env: EnvironmentConfig): void {
    const scaling = this.service.autoScaleTaskCount({
      minCapacity: env.minCapacity,
      maxCapacity: env.maxCapacity,
    });
    scaling.scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: 60,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });
    scaling.scaleOnMemoryUtilization('MemoryScaling', { targetUtilizationPercent: 75 });
  }

  private acknowledgeFindings(props: CanaryFargateServiceProps): void {
    const secretNames = Object.keys(props.secrets ?? {});
    acknowledge(this.taskDefinition, [
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'Only non-secret configuration is passed as environment variables (PORT, RELEASE_VERSION, OTEL_* ' +
          'collector settings, the collector config, public API URLs)' +
          (secretNames.length > 0
            ? `; ${secretNames.join(' and ')} come from Secrets Manager through the container's secrets.`
            : '; the service holds no secrets.'),
      },
    ]);
    acknowledgeTaskRoleWildcards(this.taskDefinition);
    if (props.internetFacing) {
      acknowledge(this.albSecurityGroup, [
        {
          id: 'AwsSolutions-EC23',
          reason:
            'Customer-facing storefront endpoint: the production listener must accept traffic from any IPv4 ' +
            'address. Only the production port is open; the test listener is limited to the VPC CIDR.',
        },
      ]);
    }
  }

  private releaseTarget(
    props: CanaryFargateServiceProps,
    lb: FargateLoadBalancer,
    alarmNames: string[],
  ): EcsTarget {
    const { env, workload, strategy } = props;
    const name = resourceName(env, workload);
    return {
      platform: 'ecs',
      ...targetLocation(this, env),
      alarms: alarmNames,
      xrayServiceName: workload,
      logGroup: `/ecs/${name}`,
      strategy,
      clusterName: clusterName(env, 'ecs'),
      serviceName: name,
      taskFamily: name,
      containerName: workload,
      containerPort: CONTAINER_PORT,
      imageRepository: imageRepositoryUri(env, workload),
      loadBalancerName: shortName(env, workload),
      productionListenerPort: lb.productionPort,
      testListenerPort: TEST_LISTENER_PORT,
      targetGroups: { blue: shortName(env, workload, 'blue'), green: shortName(env, workload, 'green') },
      ...(strategy === 'codedeploy-blue-green'
        ? {
            codeDeploy: {
              application: name,
              deploymentGroup: name,
              deploymentConfig: CODEDEPLOY_ECS_CONFIG,
            },
          }
        : { canary: { stepPercent: CANARY_STEP_PERCENT } }),
    };
  }
}
