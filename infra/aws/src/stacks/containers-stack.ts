import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { asInterface } from '../compat';
import type { EnvironmentConfig } from '../config';
import { AuthSecrets } from '../constructs/auth-secrets';
import { CanaryFargateService } from '../constructs/canary-fargate-service';
import { Ec2WorkerService } from '../constructs/ec2-worker-service';
import { OrderExportsBucket } from '../constructs/order-exports-bucket';
import { APP, clusterName } from '../naming';

export interface ContainersStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
  readonly accessLogBucket: s3.IBucket;
  readonly releaseVersion: string;
  /** The order API's URL, given to checkout as ORDER_API_URL. */
  readonly orderApiUrl: string;
  /** execute-api ARN of exactly `POST /orders` on the `$default` stage. */
  readonly orderApiInvokeArn: string;
  /** ACM certificate for checkout's public listener (context securecart:<env>:checkoutCertificateArn). */
  readonly checkoutCertificateArn?: string;
}

/**
 * The ECS cluster: checkout (Fargate, CodeDeploy blue/green), auth (Fargate, ECS-native canary) and
 * order-batch (a long-running worker service on an EC2 Auto Scaling group capacity provider, rolling
 * deployments with circuit breaker and alarm rollback) with the bucket of exports it reconciles.
 */
export class ContainersStack extends Stack {
  readonly cluster: ecs.Cluster;
  readonly checkout: CanaryFargateService;
  readonly auth: CanaryFargateService;
  readonly authSecrets: AuthSecrets;
  readonly orderBatch: Ec2WorkerService;
  readonly orderExports: OrderExportsBucket;

  constructor(scope: Construct, id: string, props: ContainersStackProps) {
    super(scope, id, props);
    const { config: env } = props;
    const prefix = `${APP}-${env.name}`;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: clusterName(env, 'ecs'),
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    });

    this.checkout = new CanaryFargateService(this, 'Checkout', {
      env,
      workload: 'checkout',
      cluster: asInterface<ecs.ICluster>(this.cluster),
      strategy: 'codedeploy-blue-green',
      internetFacing: true,
      accessLogBucket: props.accessLogBucket,
      releaseVersion: props.releaseVersion,
      environment: { ORDER_API_URL: props.orderApiUrl },
      healthCheckPath: '/health',
      p99LatencySeconds: 1.5,
      ...(props.checkoutCertificateArn ? { certificateArn: props.checkoutCertificateArn } : {}),
    });
    // checkout signs its calls to the IAM-authorized order API (POST /orders only).
    this.checkout.taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({
        actions: ['execute-api:Invoke'],
        resources: [props.orderApiInvokeArn],
      }),
    );

    this.authSecrets = new AuthSecrets(this, 'AuthSecrets', { env });
    this.auth = new CanaryFargateService(this, 'Auth', {
      env,
      workload: 'auth',
      cluster: asInterface<ecs.ICluster>(this.cluster),
      strategy: 'ecs-canary',
      internetFacing: false,
      accessLogBucket: props.accessLogBucket,
      releaseVersion: props.releaseVersion,
      secrets: this.authSecrets.containerSecrets(),
      healthCheckPath: '/health',
      p99LatencySeconds: 0.5,
    });

    const key = new kms.Key(this, 'NotificationsKey', {
      alias: `alias/${prefix}-containers`,
      enableKeyRotation: true,
      description: 'SecureCart container capacity notifications',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // EC2 Auto Scaling publishes capacity notifications with its service-linked role.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        principals: [
          new iam.ArnPrincipal(
            `arn:${this.partition}:iam::${env.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
          ),
        ],
        resources: ['*'],
      }),
    );
    const capacityTopic = new sns.Topic(this, 'CapacityNotifications', {
      topicName: `${prefix}-capacity-notifications`,
      masterKey: key,
      enforceSSL: true,
    });

    // The day's order and payment exports order-batch reconciles, and its reports.
    this.orderExports = new OrderExportsBucket(this, 'OrderExports', { env });
    this.orderBatch = new Ec2WorkerService(this, 'OrderBatch', {
      env,
      workload: 'order-batch',
      cluster: this.cluster,
      releaseVersion: props.releaseVersion,
      environment: {
        RECONCILE_AT: '02:00',
        EXPORT_BUCKET: this.orderExports.bucketName,
        // The SDK's region for S3 (set explicitly: ECS on EC2 does not promise AWS_REGION in the task).
        AWS_REGION: env.region,
      },
      notificationsTopic: capacityTopic,
      maxRunMinutes: 30,
    });
    this.orderExports.grantWorker(this.orderBatch.taskDefinition.taskRole);
  }
}
