import { delimiter } from 'node:path';
import { type Cluster, DescribeClusterCommand } from '@aws-sdk/client-eks';
import { AppsV1Api, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import { AwsCallError, aws } from '../../aws/aws-error';
import type { AwsClients } from '../../aws/clients';
import { errorText } from '../../errors/error-text';
import type { Clock } from '../../time/clock';
import { UnknownWorkloadError } from '../port';
import { eksToken, TOKEN_RENEW_AFTER_MS } from './eks-token';

/** The two API groups the adapter uses, as clients of the cluster's API server. */
export interface KubernetesApis {
  apps: AppsV1Api;
  networking: NetworkingV1Api;
}

/** How Tollgate reaches a cluster's API server, with credentials that are still valid. */
export interface ClusterAccess {
  /** For messages: "EKS cluster securecart-production-eks", "the cluster of KUBECONFIG context x". */
  readonly where: string;
  apis(): Promise<KubernetesApis>;
}

export interface ClusterAccessOptions {
  workload: string;
  clusterName: string;
  clients: Pick<AwsClients, 'eks' | 'sts'>;
  clock: Clock;
  env?: NodeJS.ProcessEnv;
}

/**
 * KUBECONFIG when it is set (its current context, as kubectl would use it); otherwise the EKS cluster the
 * target names, found with DescribeCluster and signed into with an STS-presigned token.
 */
export function openClusterAccess(options: ClusterAccessOptions): ClusterAccess {
  const kubeconfig = (options.env ?? process.env).KUBECONFIG;
  return kubeconfig ? kubeconfigAccess(kubeconfig) : new EksClusterAccess(options);
}

function apisOf(config: KubeConfig): KubernetesApis {
  return { apps: config.makeApiClient(AppsV1Api), networking: config.makeApiClient(NetworkingV1Api) };
}

/** The kubeconfig files KUBECONFIG lists, merged in order as kubectl merges them. */
export function kubeconfigAccess(kubeconfig: string): ClusterAccess {
  const config = new KubeConfig();
  for (const [index, file] of kubeconfig.split(delimiter).filter(Boolean).entries()) {
    try {
      if (index === 0) config.loadFromFile(file);
      else {
        const next = new KubeConfig();
        next.loadFromFile(file);
        config.mergeConfig(next, true);
      }
    } catch (error) {
      throw new Error(`KUBECONFIG names ${file}, which is not a readable kubeconfig: ${errorText(error)}`);
    }
  }
  const context = config.getCurrentContext();
  if (!config.getCurrentCluster()) {
    throw new Error(`KUBECONFIG (${kubeconfig}) has no current context with a cluster; set current-context`);
  }
  const apis = apisOf(config);
  return { where: `the cluster of KUBECONFIG context ${context}`, apis: async () => apis };
}

/** The API server of an EKS cluster: its endpoint and CA from DescribeCluster, a token renewed as it ages. */
export class EksClusterAccess implements ClusterAccess {
  readonly where: string;
  private cluster?: Promise<Cluster>;
  private signedIn?: { apis: Promise<KubernetesApis>; at: number };

  constructor(private readonly options: ClusterAccessOptions) {
    this.where = `EKS cluster ${options.clusterName}`;
  }

  apis(): Promise<KubernetesApis> {
    const now = this.options.clock.now();
    if (!this.signedIn || now - this.signedIn.at >= TOKEN_RENEW_AFTER_MS) {
      const apis = this.signIn(now);
      this.signedIn = { apis, at: now };
      // A failed sign-in is not kept: the next call tries again.
      apis.catch(() => {
        if (this.signedIn?.apis === apis) delete this.signedIn;
      });
    }
    return this.signedIn.apis;
  }

  private async signIn(now: number): Promise<KubernetesApis> {
    const { clusterName, clients } = this.options;
    const cluster = await this.describe();
    const token = await eksToken(clients.sts, clusterName, new Date(now));
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [
        {
          name: clusterName,
          server: cluster.endpoint,
          caData: cluster.certificateAuthority?.data,
          skipTLSVerify: false,
        },
      ],
      users: [{ name: 'tollgate', token }],
      contexts: [{ name: clusterName, cluster: clusterName, user: 'tollgate' }],
      currentContext: clusterName,
    });
    return apisOf(config);
  }

  /** The cluster's endpoint and CA do not change during a run: described once. */
  private describe(): Promise<Cluster> {
    if (!this.cluster) {
      this.cluster = this.describeCluster();
      this.cluster.catch(() => delete this.cluster);
    }
    return this.cluster;
  }

  private async describeCluster(): Promise<Cluster> {
    const { clusterName, clients, workload } = this.options;
    let cluster: Cluster | undefined;
    try {
      const response = await aws(`describe EKS cluster ${clusterName}`, () =>
        clients.eks.send(new DescribeClusterCommand({ name: clusterName })),
      );
      cluster = response.cluster;
    } catch (error) {
      if (error instanceof AwsCallError && error.kind === 'not-found') {
        throw new UnknownWorkloadError(workload, `${this.where} (DescribeCluster: ${error.code})`);
      }
      throw error;
    }
    if (!cluster?.endpoint || !cluster.certificateAuthority?.data) {
      const status = cluster?.status ?? 'unknown';
      throw new Error(
        `${this.where} has no API server endpoint yet (status ${status}); wait until it is ACTIVE`,
      );
    }
    return cluster;
  }
}
