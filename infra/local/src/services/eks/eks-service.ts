import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { FaultPlan } from '../../faults/fault-plan';
import type { KubernetesCluster } from '../../kubernetes/cluster';
import { selfSignedCertificate, type TlsCertificate } from '../../kubernetes/tls-certificate';
import type { EntryPoint } from '../../traffic/entry-point';
import type { ServiceDefinition } from '../service';
import { describeCluster, type EksClusterRecord } from './describe-cluster';

export interface EksServiceOptions {
  clock: ScaledClock;
  faults: FaultPlan;
  /** The API servers' certificate; made once here when not given (it takes a moment). */
  tls?: TlsCertificate;
}

export interface EksService {
  definition: ServiceDefinition;
  clock: ScaledClock;
  faults: FaultPlan;
  /** The certificate every cluster's API server serves (its own CA). */
  tls: TlsCertificate;
  /** Adds a running cluster (provisionEks does) under its account and Region. */
  addCluster(cluster: KubernetesCluster, where: { account: string; region: string }): void;
  /** Where an EKS workload's traffic enters: its Ingress's router, once provisioned. */
  entryPoint(workload: string, environment: string): Extract<EntryPoint, { kind: 'http' }>;
  /** Records the entry point of a workload environment (provisionEks does). */
  setEntryPoint(workload: string, environment: string, url: string): void;
  cluster(name: string): KubernetesCluster | undefined;
  /** Stops every cluster: API servers, routers and pods. */
  close(): Promise<void>;
}

/** Amazon EKS's control plane API (DescribeCluster) over the local clusters. */
export async function createEksService(options: EksServiceOptions): Promise<EksService> {
  const tls = options.tls ?? (await selfSignedCertificate());
  const records = new Map<string, EksClusterRecord>();
  const clusters = new Map<string, KubernetesCluster>();
  const entries = new Map<string, string>();
  return {
    definition: {
      signingName: 'eks',
      sdkPackage: '@aws-sdk/client-eks',
      protocol: 'restJson1',
      operations: { DescribeCluster: describeCluster(records) },
    },
    clock: options.clock,
    faults: options.faults,
    tls,
    addCluster(cluster, where) {
      clusters.set(cluster.name, cluster);
      records.set(cluster.name, {
        name: cluster.name,
        ...where,
        createdAt: options.clock.now(),
        endpoint: cluster.url,
        caData: cluster.caData,
      });
    },
    entryPoint(workload, environment) {
      const url = entries.get(`${workload}/${environment}`);
      if (!url) throw new Error(`no EKS workload ${workload} in ${environment} was provisioned`);
      return { kind: 'http', url };
    },
    setEntryPoint(workload, environment, url) {
      entries.set(`${workload}/${environment}`, url);
    },
    cluster: (name) => clusters.get(name),
    async close() {
      await Promise.all([...clusters.values()].map((cluster) => cluster.close()));
      clusters.clear();
    },
  };
}
