import { type Cluster, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { STSClient } from '@aws-sdk/client-sts';
import { AppsV1Api, KubeConfig, NetworkingV1Api, type V1Deployment } from '@kubernetes/client-node';
import { eksToken } from '@tollgate/pipelines/platforms/eks/eks-token';
import type { EksTarget } from '@tollgate/pipelines/targets/manifest';
import type { ReleaseWorld } from './release-world';

/** One Deployment (a track) as a test reads it back. */
export interface TrackView {
  /** The `tollgate.dev/release` annotation of its pod template: what its pods report as RELEASE_VERSION. */
  release: string;
  replicas: number;
  readyReplicas: number;
}

/** The workload's tracks and the Ingress's weighted forward action between them. */
export interface EksWorkloadView {
  stable: TrackView;
  canary: TrackView;
  /** Weight per Service of the forward action (`recommendations-stable`, `recommendations-canary`). */
  weights: Record<string, number>;
}

const RELEASE_ANNOTATION = 'tollgate.dev/release';
const ACTION_PREFIX = 'alb.ingress.kubernetes.io/actions.';

/**
 * Reads an EKS workload as an operator with kubectl would: DescribeCluster for the API server and its CA
 * (one call, straight to the cloud), a presigned STS token as `aws eks get-token` makes it, then
 * @kubernetes/client-node.
 */
export async function eksState(
  world: ReleaseWorld,
  workload: string,
  environment = 'production',
): Promise<{ read(): Promise<EksWorkloadView> }> {
  const { cloud } = world;
  const target = cloud.manifest.workloads[workload]?.environments[environment];
  if (target?.platform !== 'eks') throw new Error(`${workload} does not run on EKS in ${environment}`);
  const settings = { ...world.aws, region: target.region };
  const { cluster } = await new EKSClient(settings).send(
    new DescribeClusterCommand({ name: target.clusterName }),
  );
  const sts = new STSClient(settings);
  const names = (kind: string) => target.objects.filter((o) => o.kind === kind).map((o) => o.name);
  const { namespace } = target;
  return {
    async read() {
      // A token lasts 15 cloud minutes (45 s at ×20): each read signs a new one.
      const config = kubeconfig(
        target,
        cluster,
        await eksToken(sts, target.clusterName, new Date(cloud.clock.now())),
      );
      const apps = config.makeApiClient(AppsV1Api);
      const networking = config.makeApiClient(NetworkingV1Api);
      const track = async (suffix: string): Promise<TrackView> => {
        const name = names('Deployment').find((candidate) => candidate.endsWith(`-${suffix}`)) ?? '';
        return trackOf(await apps.readNamespacedDeployment({ name, namespace }));
      };
      const ingress = await networking.readNamespacedIngress({ name: names('Ingress')[0] ?? '', namespace });
      const annotations = ingress.metadata?.annotations ?? {};
      const action = Object.entries(annotations).find(([key]) => key.startsWith(ACTION_PREFIX))?.[1];
      const groups = (JSON.parse(action ?? '{}') as { forwardConfig?: { targetGroups?: unknown[] } })
        .forwardConfig?.targetGroups as { serviceName: string; weight: number }[] | undefined;
      const weights = Object.fromEntries((groups ?? []).map((group) => [group.serviceName, group.weight]));
      return { stable: await track('stable'), canary: await track('canary'), weights };
    },
  };
}

function kubeconfig(target: EksTarget, cluster: Cluster | undefined, token: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      {
        name: target.clusterName,
        server: cluster?.endpoint ?? '',
        caData: cluster?.certificateAuthority?.data,
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'e2e', token }],
    contexts: [{ name: target.clusterName, cluster: target.clusterName, user: 'e2e' }],
    currentContext: target.clusterName,
  });
  return config;
}

function trackOf(deployment: V1Deployment): TrackView {
  return {
    release: deployment.spec?.template.metadata?.annotations?.[RELEASE_ANNOTATION] ?? '',
    replicas: deployment.spec?.replicas ?? 1,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
  };
}
