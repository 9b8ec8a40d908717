import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { ReleaseManifestRegistry } from '../manifest/registry';
import { acknowledge } from '../nag';
import { clusterName, resourceName, shortName } from '../naming';
import { WORKLOADS_DIR } from '../paths';
import { resolveAlarmName } from './canary-lambda';
import { gatingAlarm } from './gating-alarm';
import { addTelemetrySidecar, otelEnvironment } from './telemetry-sidecar';

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

export const CONTAINER_PORT = 8080;
export const TEST_LISTENER_PORT = 8443;

export interface CanaryFargateServiceProps {
  readonly env: EnvironmentConfig;
  readonly workload: string;
  readonly cluster: ecs.ICluster;
  readonly strategy: FargateReleaseStrategy;
  /** Whether the ALB faces the internet (customer traffic) or only the VPC. */
  readonly internetFacing: boolean;
  readonly accessLogBucket: s3.IBucket;
  readonly releaseVersion: string;
  readonly environment?: Record<string, string>;
  readonly healthCheckPath: string;
  /** p99 target response time (seconds) above which the release is failed. */
  readonly p99LatencySeconds: number;
  /** ACM certificate for the production listener; without one it listens on HTTP 80. */
  readonly certificateArn?: string;
  readonly cpu?: number;
  readonly memoryLimitMiB?: number;
}

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

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/ecs/${name}`,
      retention: env.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Named roles so the deploy role can iam:PassRole exactly these when registering a new revision.
    const executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: `${name}-exec`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `ECS task execution role of ${name}: pull its image, write its logs`,
    });
    const taskRole = new iam.Role(this, 'TaskRole', {
      roleName: `${name}-task`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `Application role of ${name}`,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: name,
      cpu: props.cpu ?? 512,
      memoryLimitMiB: props.memoryLimitMiB ?? 1024,
      executionRole,
      taskRole,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    const app = this.taskDefinition.addContainer('app', {
      containerName: workload,
      image: ecs.ContainerImage.fromAsset(WORKLOADS_DIR, {
        file: `${workload}/Dockerfile`,
        platform: Platform.LINUX_AMD64,
        exclude: ['**/node_modules', '**/test', '**/*.test.ts', 'fulfillment'],
      }),
      essential: true,
      portMappings: [{ containerPort: CONTAINER_PORT, name: 'http' }],
      environment: {
        ...props.environment,
        PORT: String(CONTAINER_PORT),
        RELEASE_VERSION: props.releaseVersion,
        ...otelEnvironment(),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: workload }),
      stopTimeout: Duration.seconds(30),
    });
    // Added after the app container so the app stays the task definition's default container.
    const sidecar = addTelemetrySidecar(this.taskDefinition, logGroup);
    app.addContainerDependencies({ container: sidecar, condition: ecs.ContainerDependencyCondition.START });

    // --- load balancer: production and test listeners, blue and green target groups ---
    this.albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSecurityGroup', {
      vpc,
      description: `${name} load balancer`,
      allowAllOutbound: false,
    });
    const albSecurityGroup = this.albSecurityGroup;
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      loadBalancerName: shortName(env, workload),
      internetFacing: props.internetFacing,
      securityGroup: albSecurityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: env.name === 'production',
      vpcSubnets: {
        subnetType: props.internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS,
      },
    });
    this.loadBalancer.logAccessLogs(props.accessLogBucket, name);

    const targetGroup = (suffix: 'blue' | 'green') =>
      new elbv2.ApplicationTargetGroup(this, suffix === 'blue' ? 'BlueTargetGroup' : 'GreenTargetGroup', {
        vpc,
        targetGroupName: shortName(env, workload, suffix),
        targetType: elbv2.TargetType.IP,
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: CONTAINER_PORT,
        deregistrationDelay: Duration.seconds(30),
        healthCheck: {
          path: props.healthCheckPath,
          healthyHttpCodes: '200',
          interval: Duration.seconds(10),
          timeout: Duration.seconds(5),
          healthyThresholdCount: 2,
          unhealthyThresholdCount: 3,
        },
      });
    this.blueTargetGroup = targetGroup('blue');
    this.greenTargetGroup = targetGroup('green');

    const productionPort = props.certificateArn ? 443 : 80;
    // Blue/green: the listeners forward to blue (production) and green (test) and CodeDeploy swaps
    // them. ECS canary: weighted listener rules (below) carry the traffic; the default answers 404.
    const notFound = elbv2.ListenerAction.fixedResponse(404, {
      contentType: 'text/plain',
      messageBody: 'not found',
    });
    const blueGreen = strategy === 'codedeploy-blue-green';
    // Literal CIDR (not the VPC's CidrBlock attribute) so reviewers and cdk-nag can read the rule.
    const clientPeer = props.internetFacing ? ec2.Peer.anyIpv4() : ec2.Peer.ipv4(env.vpcCidr);
    this.productionListener = this.loadBalancer.addListener('ProductionListener', {
      port: productionPort,
      protocol: props.certificateArn ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      open: false,
      ...(props.certificateArn
        ? {
            certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
            sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
          }
        : {}),
      defaultAction: blueGreen ? elbv2.ListenerAction.forward([this.blueTargetGroup]) : notFound,
    });
    albSecurityGroup.addIngressRule(clientPeer, ec2.Port.tcp(productionPort), 'production traffic');
    // The test listener only ever serves the new revision to pre-traffic checks from inside the VPC.
    this.testListener = this.loadBalancer.addListener('TestListener', {
      port: TEST_LISTENER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: blueGreen ? elbv2.ListenerAction.forward([this.greenTargetGroup]) : notFound,
    });
    albSecurityGroup.addIngressRule(
      ec2.Peer.ipv4(env.vpcCidr),
      ec2.Port.tcp(TEST_LISTENER_PORT),
      'test listener, VPC only',
    );

    // --- service ---
    const serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc,
      description: `${name} tasks`,
      allowAllOutbound: true,
    });
    serviceSecurityGroup.addIngressRule(
      albSecurityGroup,
      ec2.Port.tcp(CONTAINER_PORT),
      'from its load balancer',
    );
    albSecurityGroup.addEgressRule(serviceSecurityGroup, ec2.Port.tcp(CONTAINER_PORT), 'to its tasks');

    this.alarms = this.createAlarms(props);
    const alarmNames = this.alarms.map(resolveAlarmName);

    const common = {
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
    } satisfies ecs.FargateServiceProps;

    if (strategy === 'codedeploy-blue-green') {
      this.service = new ecs.FargateService(this, 'Service', {
        ...common,
        deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
      });
      this.service.attachToApplicationTargetGroup(this.blueTargetGroup);

      const application = new codedeploy.EcsApplication(this, 'Application', { applicationName: name });
      this.deploymentGroup = new codedeploy.EcsDeploymentGroup(this, 'DeploymentGroup', {
        application,
        deploymentGroupName: name,
        service: this.service,
        deploymentConfig: codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_5MINUTES,
        blueGreenDeploymentConfig: {
          blueTargetGroup: this.blueTargetGroup,
          greenTargetGroup: this.greenTargetGroup,
          listener: this.productionListener,
          testListener: this.testListener,
          terminationWaitTime: Duration.minutes(5),
        },
        alarms: this.alarms,
        autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
      });
      acknowledge(this.deploymentGroup, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'AWSCodeDeployRoleForECS is the AWS-maintained policy CodeDeploy needs to create task sets and ' +
            'modify the listeners of this blue/green service; there is no narrower managed alternative.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS'],
        },
      ]);
    } else {
      const weighted = (id: string, listener: elbv2.ApplicationListener) =>
        new elbv2.ApplicationListenerRule(this, id, {
          listener,
          priority: 1,
          conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
          action: elbv2.ListenerAction.weightedForward([
            { targetGroup: this.blueTargetGroup, weight: 100 },
            { targetGroup: this.greenTargetGroup, weight: 0 },
          ]),
        });
      const productionRule = weighted('ProductionRule', this.productionListener);
      const testRule = weighted('TestRule', this.testListener);
      this.service = new ecs.FargateService(this, 'Service', {
        ...common,
        deploymentController: { type: ecs.DeploymentControllerType.ECS },
        deploymentStrategy: ecs.DeploymentStrategy.CANARY,
        canaryConfiguration: { stepPercent: 10, stepBakeTime: Duration.minutes(5) },
        bakeTime: Duration.minutes(5),
        circuitBreaker: { enable: true, rollback: true },
        deploymentAlarms: { alarmNames, behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
      });
      this.service
        .loadBalancerTarget({
          containerName: workload,
          containerPort: CONTAINER_PORT,
          alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
            alternateTargetGroup: this.greenTargetGroup,
            productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(productionRule),
            testListener: ecs.ListenerRuleConfiguration.applicationListenerRule(testRule),
          }),
        })
        .attachToApplicationTargetGroup(this.blueTargetGroup);
      for (const alarm of this.alarms) this.service.node.addDependency(alarm);
    }

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

    this.suppressNag(props);

    ReleaseManifestRegistry.of(this).registerTarget(workload, {
      platform: 'ecs',
      environment: env.name,
      account: env.account,
      region: env.region,
      stack: Stack.of(this).stackName,
      alarms: alarmNames,
      xrayServiceName: workload,
      logGroup: `/ecs/${name}`,
      strategy,
      clusterName: clusterName(env, 'ecs'),
      serviceName: name,
      taskFamily: name,
      containerName: workload,
      containerPort: CONTAINER_PORT,
      loadBalancerName: shortName(env, workload),
      productionListenerPort: productionPort,
      testListenerPort: TEST_LISTENER_PORT,
      targetGroups: { blue: shortName(env, workload, 'blue'), green: shortName(env, workload, 'green') },
      ...(strategy === 'codedeploy-blue-green'
        ? {
            codeDeploy: {
              application: name,
              deploymentGroup: name,
              deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
            },
          }
        : { canary: { stepPercent: 10, bakeMinutes: 5 } }),
    });
  }

  private createAlarms(props: CanaryFargateServiceProps): cloudwatch.Alarm[] {
    const { env, workload } = props;
    const period = env.alarmPeriod;
    const metrics = this.loadBalancer.metrics;
    return [
      gatingAlarm(this, 'TargetErrorsAlarm', {
        env,
        workload,
        signal: 'errors',
        description: `${workload} responses with 5xx from the application`,
        metric: metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' }),
        threshold: 5,
      }),
      gatingAlarm(this, 'Elb5xxAlarm', {
        env,
        workload,
        signal: '5xx',
        description: `${workload} 5xx generated by the load balancer (no healthy target, timeouts)`,
        metric: metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period, statistic: 'Sum' }),
        threshold: 5,
      }),
      gatingAlarm(this, 'LatencyAlarm', {
        env,
        workload,
        signal: 'p99-latency',
        description: `${workload} p99 target response time over ${props.p99LatencySeconds}s`,
        metric: metrics.targetResponseTime({ period, statistic: 'p99' }),
        threshold: props.p99LatencySeconds,
      }),
    ];
  }

  private suppressNag(props: CanaryFargateServiceProps): void {
    acknowledge(this.taskDefinition, [
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'Only non-secret configuration is passed as environment variables (PORT, RELEASE_VERSION, OTEL_* ' +
          'collector settings, the collector config, public API URLs); the services hold no secrets.',
      },
    ]);
    acknowledge(
      [this.taskDefinition.taskRole, this.taskDefinition.obtainExecutionRole()],
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
    if (props.strategy === 'ecs-canary') {
      acknowledge(this.service, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'AmazonECSInfrastructureRolePolicyForLoadBalancers is the AWS-maintained policy ECS needs to move ' +
            'listener-rule weights during a native canary deployment; ECS assumes the role only for that.',
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers',
          ],
        },
      ]);
    }
  }
}
