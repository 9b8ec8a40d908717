import { Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { acknowledge } from '../nag';
import { APP } from '../naming';

export interface NetworkStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** The environment's VPC (two AZs spelled out, no lookups), flow logs and the ALB access-log bucket. */
export class NetworkStack extends Stack {
  /** The configured AZs, so CDK never asks the account (an AZ lookup needs credentials). */
  override get availabilityZones(): string[] {
    return this.azs;
  }

  readonly vpc: ec2.Vpc;
  readonly accessLogBucket: s3.Bucket;

  private readonly azs: string[];

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.azs = [...config.availabilityZones];

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: `${APP}-${config.name}`,
      ipAddresses: ec2.IpAddresses.cidr(config.vpcCidr),
      availabilityZones: this.azs,
      natGateways: config.name === 'production' ? 2 : 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      restrictDefaultSecurityGroup: false,
    });
    // EKS Auto Mode's load balancing only places ALBs in subnets tagged for it (internal: private subnets).
    // https://docs.aws.amazon.com/eks/latest/userguide/tag-subnets-auto.html
    for (const subnet of this.vpc.privateSubnets) Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
    for (const subnet of this.vpc.publicSubnets) Tags.of(subnet).add('kubernetes.io/role/elb', '1');
    acknowledge(this.vpc, [
      {
        id: 'CloudFormation-Validate::W3010',
        reason:
          'The AZ names are pinned in config on purpose: synth must run offline with no credentials, and an AZ ' +
          'lookup needs the account. Each stack targets one fixed account and region, so the names are stable.',
      },
    ]);
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: `/vpc/${APP}-${config.name}/flow-logs`,
      retention: config.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.accessLogBucket = new s3.Bucket(this, 'AlbAccessLogs', {
      bucketName: `${APP}-${config.name}-alb-logs-${config.account}`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(config.name === 'production' ? 365 : 30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.accessLogBucket, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'This bucket only receives ALB access logs written by the ELB log-delivery service; logging access to ' +
          'the log bucket would need another bucket whose own access is unlogged. Public access is blocked and ' +
          'TLS is enforced.',
      },
    ]);
  }
}
