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
import { CanaryFargateService, type CanaryFargateServiceProps } from '../constructs/canary-fargate-service';
import { Ec2WorkerService } from '../constructs/ec2-worker-service';
import { OrderExportsBucket } from '../constructs/order-exports-bucket';
import { APP, clusterName } from '../naming';
import { PRODUCT_SEARCH_P99_MS } from './app-runner-stack';

export interface ContainersStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
  readonly accessLogBucket: s3.IBucket;
  /** The order API's URL, given to checkout as ORDER_API_URL. */
  readonly orderApiUrl: string;
  /** execute-api ARN of exactly `POST /orders` on the `$default` stage. */
  readonly orderApiInvokeArn: string;
}

/** What differs between the load-balanced Fargate services of the cluster: one row each. */
type FargateServiceRow = Omit<CanaryFargateServiceProps, 'env' | 'cluster' | 'accessLogBucket'> & {
  readonly id: string;
};

function fargateServices(props: ContainersStackProps, authSecrets: AuthSecrets): FargateServiceRow[] {
  const { config: env } = props;
  const rows: FargateServiceRow[] = [
    {
      id: 'Checkout',
      workload: 'checkout',
      strategy: 'codedeploy-blue-green',
      internetFacing: true,
      environment: { ORDER_API_URL: props.orderApiUrl },
      healthCheckPath: '/health',
      p99LatencySeconds: 1.5,
      ...(env.checkoutCertificateArn ? { certificateArn: env.checkoutCertificateArn } : {}),
    },
    {
      id: 'Auth',
      workload: 'auth',
      strategy: 'ecs-canary',
      internetFacing: false,
      secrets: authSecrets.containerSecrets(),
      healthCheckPath: '/health',
      p99LatencySeconds: 0.5,
    },
  ];
  // Opt-in (context securecart:productSearchPlatform=fargate): where App Runner is closed to the account.
  if (env.productSearchPlatform === 'fargate') {
    rows.push({
      id: 'ProductSearch',
      workload: 'product-search',
      strategy: 'ecs-canary',
      internetFacing: false,
      healthCheckPath: '/health',
      p99LatencySeconds: PRODUCT_SEARCH_P99_MS / 1000,
    });
  }
  return rows;
}

/**
 * The ECS cluster: checkout (Fargate, CodeDeploy blue/green), auth (Fargate, ECS-native canary) and
 * order-batch (a long-running worker service on an EC2 Auto Scaling group capacity provider, rolling
 * deployments with circuit breaker and alarm rollback) with the bucket of exports it reconciles.
 */
export class ContainersStack extends Stack {
  readonly cluster: ecs.Cluster;
  readonly services: Record<string, CanaryFargateService> = {};
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

    this.authSecrets = new AuthSecrets(this, 'AuthSecrets', { env });
    for (const { id: serviceId, ...row } of fargateServices(props, this.authSecrets)) {
      this.services[row.workload] = new CanaryFargateService(this, serviceId, {
        ...row,
        env,
        cluster: asInterface<ecs.ICluster>(this.cluster),
        accessLogBucket: props.accessLogBucket,
      });
    }
    // checkout signs its calls to the IAM-authorized order API (POST /orders only).
    this.service('checkout').taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [props.orderApiInvokeArn] }),
    );

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

  /** A Fargate service of this stack by workload name. */
  service(workload: string): CanaryFargateService {
    const found = this.services[workload];
    if (!found) throw new Error(`no Fargate service ${workload} in ${this.stackName}`);
    return found;
  }
}
