import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { EksWorkload } from '../constructs/eks-workload';
import { deployRoleName } from '../naming';

export interface KubernetesStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
}

/** The EKS cluster running the recommendations engine. */
export class KubernetesStack extends Stack {
  readonly recommendations: EksWorkload;

  constructor(scope: Construct, id: string, props: KubernetesStackProps) {
    super(scope, id, props);
    const { config: env } = props;
    this.recommendations = new EksWorkload(this, 'Recommendations', {
      env,
      workload: 'recommendations',
      vpc: props.vpc,
      namespace: 'recommendations',
      manifestsPath: 'workloads/recommendations/k8s',
      deployRoleArn: `arn:${this.partition}:iam::${env.account}:role/${deployRoleName(env)}`,
      p99LatencyMs: 400,
    });
  }
}
