import * as path from 'node:path';
import type { EksTarget } from '@tollgate/pipelines/targets/manifest';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { asInterface } from '../compat';
import type { EnvironmentConfig } from '../config';
import {
  CLUSTER_BOOTSTRAP_PATH,
  clusterDisagreements,
  type KubernetesObjectRef,
  objectRefs,
  readIngressClass,
  readKubernetesDocuments,
} from '../kubernetes';
import { ReleaseManifestRegistry, targetLocation } from '../manifest/registry';
import { acknowledge } from '../nag';
import { clusterName } from '../naming';
import { REPO_ROOT } from '../paths';
import { imageRepositoryUri } from '../registry/image-repositories';
import { containerRequestMetrics } from './container-request-metrics';
import { gatingAlarms, resolveAlarmName } from './gating-alarm';

/** The log group the amazon-cloudwatch-observability add-on's Fluent Bit writes container stdout to. */
export function applicationLogGroupName(clusterName: string): string {
  return `/aws/containerinsights/${clusterName}/application`;
}

export interface EksWorkloadProps {
  readonly env: EnvironmentConfig;
  readonly workload: string;
  readonly vpc: ec2.IVpc;
  /** Kubernetes namespace the workload (and nothing else) runs in. */
  readonly namespace: string;
  /** Directory of the workload's Kubernetes manifests, relative to the repository root. */
  readonly manifestsPath: string;
  /** IAM role ARN of the GitHub deploy role, given edit rights in the namespace only. */
  readonly deployRoleArn: string;
  /** IAM role ARN given cluster-admin (applies the cluster-scoped bootstrap objects). */
  readonly adminRoleArn: string;
  /** p99 latency (ms) above which the release is failed. */
  readonly p99LatencyMs: number;
  /** Cluster-scoped objects (the Auto Mode IngressClass), relative to the repository root. */
  readonly clusterBootstrapPath?: string;
}

/**
 * An EKS (Auto Mode) cluster for one workload, created with aws-eks-v2 and no kubectl provider, so
 * synth and deploy need no kubectl Lambda layer. The Kubernetes objects themselves (namespace,
 * Deployments, Service) are applied by Tollgate's eks platform adapter through the Kubernetes API,
 * using the deploy role's namespace-scoped access entry.
 *
 * What the cluster gives the workload, checked against its manifests at synth: Auto Mode load balancing
 * through the IngressClass of `clusterBootstrapPath` (weighted `actions.*` forward for canaries), and the
 * CloudWatch agent's OTLP endpoint (amazon-cloudwatch-observability add-on) for traces.
 *
 * Gating alarms read the workload's own request metrics (EMF lines of workloads/shared/http.ts on stdout).
 * The add-on's Fluent Bit ships stdout to `/aws/containerinsights/<cluster>/application` but nests each JSON
 * line under `log_processed` (kubernetes filter, `Merge_Log_Key log_processed`), and CloudWatch only extracts
 * EMF whose `_aws` is at the root of the event; so metric filters on that log group publish the same metrics
 * (namespace, names, dimension sets) the EMF declares. See container-request-metrics.ts.
 */
export class EksWorkload extends Construct {
  readonly cluster: eks.Cluster;
  readonly alarms: cloudwatch.Alarm[];
  /** Where the add-on's Fluent Bit ships the pods' stdout (and so the request metrics' EMF lines). */
  readonly applicationLogGroup: logs.LogGroup;
  readonly objects: KubernetesObjectRef[];
  /** The IngressClass the workload's Ingress must use (Auto Mode ALB, from the cluster bootstrap file). */
  readonly ingressClassName: string;

  constructor(scope: Construct, id: string, props: EksWorkloadProps) {
    super(scope, id);
    const { env, workload, namespace } = props;
    const name = clusterName(env, 'eks');
    const serviceName = workload;
    const documents = readKubernetesDocuments(path.join(REPO_ROOT, props.manifestsPath), namespace);
    this.objects = objectRefs(documents);
    const bootstrap = props.clusterBootstrapPath ?? CLUSTER_BOOTSTRAP_PATH;
    this.ingressClassName = readIngressClass(path.join(REPO_ROOT, bootstrap)).name;
    const problems = clusterDisagreements(documents, this.ingressClassName);
    if (problems.length > 0) {
      throw new Error(
        `${props.manifestsPath} does not match what cluster ${name} provides (see ${bootstrap}):\n  ${problems.join('\n  ')}`,
      );
    }

    this.cluster = this.createCluster(props, name);

    this.applicationLogGroup = this.addObservability(env, name);
    this.alarms = this.createAlarms(props);

    this.acknowledgeFindings();
    const target: EksTarget = {
      platform: 'eks',
      ...targetLocation(this, env),
      alarms: this.alarms.map(resolveAlarmName),
      xrayServiceName: serviceName,
      logGroup: applicationLogGroupName(name),
      clusterName: name,
      namespace,
      objects: this.objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })),
      manifestsPath: props.manifestsPath,
      imageRepository: imageRepositoryUri(env, workload),
    };
    ReleaseManifestRegistry.of(this).registerTarget(workload, target);
  }

  private createCluster(props: EksWorkloadProps, name: string): eks.Cluster {
    const { env, namespace } = props;
    const secretsKey = new kms.Key(this, 'SecretsKey', {
      alias: `alias/${name}-secrets`,
      enableKeyRotation: true,
      description: `Envelope encryption of Kubernetes secrets in ${name}`,
    });

    const cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: name,
      version: eks.KubernetesVersion.V1_33,
      vpc: props.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacityType: eks.DefaultCapacityType.AUTOMODE,
      compute: { nodePools: ['system', 'general-purpose'] },
      endpointAccess: endpointAccess(env),
      secretsEncryptionKey: secretsKey,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
        eks.ClusterLoggingTypes.SCHEDULER,
      ],
    });

    // The deploy role may edit objects in the workload's namespace and nothing else; the operator role is the
    // cluster admin that applies the cluster-scoped bootstrap objects (CloudFormation's role is not for people).
    cluster.grantAccess('DeployRoleAccess', props.deployRoleArn, [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSEditPolicy', {
        accessScopeType: eks.AccessScopeType.NAMESPACE,
        namespaces: [namespace],
      }),
    ]);
    cluster.grantAccess('AdminRoleAccess', props.adminRoleArn, [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', {
        accessScopeType: eks.AccessScopeType.CLUSTER,
      }),
    ]);

    return cluster;
  }

  /** The observability add-on and the application log group its Fluent Bit writes to. */
  private addObservability(env: EnvironmentConfig, name: string): logs.LogGroup {
    // The add-on: CloudWatch agent (receives the pods' OTLP traces, forwards them to X-Ray) and Fluent Bit
    // (container stdout to /aws/containerinsights/<cluster>/application, where the request metrics come from).
    const observabilityRole = new iam.Role(this, 'ObservabilityAgentRole', {
      roleName: `${name}-cw-agent`,
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(),
      description: 'CloudWatch agent (amazon-cloudwatch-observability add-on) via EKS Pod Identity',
    });
    observabilityRole.addManagedPolicy(
      iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy'),
    );
    observabilityRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXrayWriteOnlyAccess'));
    const addon = new eks.Addon(this, 'ObservabilityAddon', {
      cluster: asInterface<eks.ICluster>(this.cluster),
      addonName: 'amazon-cloudwatch-observability',
    });
    const agentIdentity = new eks.CfnPodIdentityAssociation(this, 'ObservabilityAgentIdentity', {
      clusterName: name,
      namespace: 'amazon-cloudwatch',
      serviceAccount: 'cloudwatch-agent',
      roleArn: observabilityRole.roleArn,
    });
    agentIdentity.node.addDependency(this.cluster);
    addon.node.addDependency(agentIdentity);

    // Created here (retention, removal policy) before the add-on's Fluent Bit would create it on first write.
    const applicationLogGroup = new logs.LogGroup(this, 'ApplicationLogs', {
      logGroupName: applicationLogGroupName(name),
      retention: env.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    addon.node.addDependency(applicationLogGroup);
    return applicationLogGroup;
  }

  /** The workload's request metrics (metric filters on the application log group) and the gates on them. */
  private createAlarms(props: EksWorkloadProps): cloudwatch.Alarm[] {
    const { env, workload, namespace } = props;
    const serviceName = workload;
    const requests = containerRequestMetrics(this, 'RequestMetrics', {
      logGroup: this.applicationLogGroup,
      namespace,
      workload,
      period: env.alarmPeriod,
    });
    return gatingAlarms(this, env, workload, [
      {
        id: 'FaultAlarm',
        signal: '5xx',
        description: `${serviceName} server faults (5xx responses, all releases) from its request metrics`,
        metric: requests.faults,
        threshold: 5,
      },
      {
        id: 'ErrorAlarm',
        signal: 'errors',
        description: `${serviceName} failed requests (4xx + 5xx) over 10 % of at least 20 requests a minute`,
        metric: requests.errorRate,
        threshold: 0.1,
      },
      {
        id: 'LatencyAlarm',
        signal: 'p99-latency',
        description: `${serviceName} p99 latency over ${props.p99LatencyMs} ms (all releases)`,
        metric: requests.p99Latency,
        threshold: props.p99LatencyMs,
      },
    ]);
  }

  private acknowledgeFindings(): void {
    // eks-v2 renders EncryptionConfig.Resources, which EKS still requires for secrets encryption.
    Validations.of(this.cluster).acknowledge({
      id: 'CloudFormation-Validate::W9009',
      reason: 'EncryptionConfig.Resources=[secrets] is rendered by aws-eks-v2 and still required by EKS.',
    });
    acknowledge(this, [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'EKS Auto Mode requires these AWS-managed policies on the cluster role (AmazonEKSClusterPolicy, ' +
          'AmazonEKSComputePolicy, AmazonEKSBlockStoragePolicy, AmazonEKSLoadBalancingPolicy, ' +
          'AmazonEKSNetworkingPolicy) and node role (AmazonEKSWorkerNodePolicy, ' +
          'AmazonEC2ContainerRegistryReadOnly); the CloudWatch agent uses CloudWatchAgentServerPolicy and ' +
          'AWSXrayWriteOnlyAccess as documented for the amazon-cloudwatch-observability add-on.',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSComputePolicy',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSBlockStoragePolicy',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSLoadBalancingPolicy',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSNetworkingPolicy',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSWorkerNodePolicy',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchAgentServerPolicy',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AWSXrayWriteOnlyAccess',
        ],
      },
    ]);
  }
}

/**
 * Private endpoint (reachable from the VPC only) unless the environment names the CIDRs of its deploy runners;
 * then public too, for those CIDRs only. Config refuses 0.0.0.0/0 (see config.ts); checks/eks-endpoint.ts fails
 * synth on any cluster template that is open anyway.
 */
function endpointAccess(env: EnvironmentConfig): eks.EndpointAccess {
  return env.eksPublicAccessCidrs.length === 0
    ? eks.EndpointAccess.PRIVATE
    : eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...env.eksPublicAccessCidrs);
}
