import { EXPORT_PREFIXES } from '@securecart/order-batch/export-layout';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { asInterface } from '../compat';
import type { EnvironmentConfig } from '../config';
import { acknowledge } from '../nag';
import { APP } from '../naming';

export interface OrderExportsBucketProps {
  readonly env: EnvironmentConfig;
}

/** `securecart-<env>-order-exports-<account>`: a fixed name, so the worker's env and its policy are plain strings. */
export function orderExportsBucketName(env: EnvironmentConfig): string {
  return `${APP}-${env.name}-order-exports-${env.account}`;
}

/**
 * The daily order and payment exports order-batch reconciles (`orders/<date>.jsonl`, `payments/<date>.jsonl`)
 * and the reports it writes back (`reports/<date>.json`); the key layout is the worker's
 * (`workloads/order-batch/src/export-layout.ts`). SSE-S3, public access blocked, TLS only, versioned (a re-run
 * overwrites a report; the previous one stays a noncurrent version), lifecycle per environment, and S3 server
 * access logs to a bucket of their own: these are financial records, so who read or wrote them is kept.
 */
export class OrderExportsBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: OrderExportsBucketProps) {
    super(scope, id);
    const { env } = props;
    const production = env.name === 'production';
    this.bucketName = orderExportsBucketName(env);
    const secure = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    };

    // Server access log delivery writes with SSE-S3 only (no KMS on the target bucket).
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...secure,
      bucketName: `${this.bucketName}-logs`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(production ? 365 : 30),
          noncurrentVersionExpiration: Duration.days(7),
        },
      ],
    });
    acknowledge(this.accessLogs, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'This bucket only receives the S3 server access logs of the order exports bucket, written by the S3 ' +
          'logging service; logging access to it would need yet another bucket whose own access is unlogged. ' +
          'Public access is blocked and TLS is enforced.',
      },
    ]);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secure,
      bucketName: this.bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: asInterface<s3.IBucket>(this.accessLogs),
      serverAccessLogsPrefix: 'order-exports/',
      lifecycleRules: [
        {
          id: 'expire-exports-and-reports',
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(30),
          // Production keeps two years of exports and reports (infrequent access after 90 days); staging 30 days.
          expiration: Duration.days(production ? 730 : 30),
          ...(production
            ? {
                transitions: [
                  { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
                ],
              }
            : {}),
        },
      ],
    });
  }

  /** `arn:<partition>:s3:::<bucket>/<prefix>*` for one of the worker's key prefixes. */
  objectsArn(prefix: string): string {
    return `arn:${Stack.of(this).partition}:s3:::${this.bucketName}/${prefix}*`;
  }

  /**
   * What the nightly worker may do: read the day's exports, write its report, and list the bucket so a missing
   * export is S3's 404 NoSuchKey ("no orders export for <date>") rather than a 403 AccessDenied that looks like
   * a permission problem (S3 answers GetObject of a missing key with 403 to callers without s3:ListBucket).
   */
  grantWorker(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadDailyExports',
        actions: ['s3:GetObject'],
        resources: [this.objectsArn(EXPORT_PREFIXES.orders), this.objectsArn(EXPORT_PREFIXES.payments)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteReports',
        actions: ['s3:PutObject'],
        resources: [this.objectsArn(EXPORT_PREFIXES.reports)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'MissingExportIsNoSuchKey',
        actions: ['s3:ListBucket'],
        resources: [`arn:${Stack.of(this).partition}:s3:::${this.bucketName}`],
      }),
    );
    const partitionArn = (prefix: string) =>
      `Resource::arn:<AWS::Partition>:s3:::${this.bucketName}/${prefix}*`;
    acknowledge(role, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'Exports and reports are one object per day (orders/<date>.jsonl, payments/<date>.jsonl, ' +
          'reports/<date>.json): the worker reads only the two export prefixes and writes only the reports prefix ' +
          'of this one bucket; the date in the key is not known when the policy is written.',
        appliesTo: [
          partitionArn(EXPORT_PREFIXES.orders),
          partitionArn(EXPORT_PREFIXES.payments),
          partitionArn(EXPORT_PREFIXES.reports),
        ],
      },
    ]);
  }
}
