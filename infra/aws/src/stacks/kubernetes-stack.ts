import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { EksWorkload } from '../constructs/eks-workload';
import { APP, clusterName, deployRoleName } from '../naming';

export interface KubernetesStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
}

/** `securecart-<env>-eks-admin`: the operator role with cluster-admin on the environment's EKS cluster. */
function eksAdminRoleName(envName: string): string {
  return `${APP}-${envName}-eks-admin`;
}

/** The EKS cluster running the recommendations engine, and who may administer it. */
export class KubernetesStack extends Stack {
  readonly recommendations: EksWorkload;
  /** The operator role created here, unless context names an existing one (eksAdminRoleArn). */
  readonly adminRole?: iam.Role;

  constructor(scope: Construct, id: string, props: KubernetesStackProps) {
    super(scope, id, props);
    const { config: env } = props;
    if (!env.eksAdminRoleArn) this.adminRole = this.createAdminRole(env);
    this.recommendations = new EksWorkload(this, 'Recommendations', {
      env,
      workload: 'recommendations',
      vpc: props.vpc,
      namespace: 'recommendations',
      manifestsPath: 'workloads/recommendations/k8s',
      deployRoleArn: `arn:${this.partition}:iam::${env.account}:role/${deployRoleName(env)}`,
      adminRoleArn: env.eksAdminRoleArn ?? (this.adminRole as iam.Role).roleArn,
      p99LatencyMs: 400,
    });
  }

  /**
   * A role people of this account assume (their own IAM policy must allow sts:AssumeRole on it) to administer
   * the cluster: the cluster-admin access entry is on this role, and it may only describe the cluster in IAM.
   */
  private createAdminRole(env: EnvironmentConfig): iam.Role {
    const role = new iam.Role(this, 'EksAdminRole', {
      roleName: eksAdminRoleName(env.name),
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Cluster admin of ${clusterName(env, 'eks')} (applies infra/aws/k8s/cluster-bootstrap.yaml)`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['eks:DescribeCluster'],
        resources: [
          `arn:${this.partition}:eks:${env.region}:${env.account}:cluster/${clusterName(env, 'eks')}`,
        ],
      }),
    );
    return role;
  }
}
