import { createHash } from 'node:crypto';
import type { Cluster, DescribeClusterCommandInput, DescribeClusterCommandOutput } from '@aws-sdk/client-eks';
import { AwsServiceError, type OperationContext } from '../service';

/** A cluster as EKS describes it: where it lives, and its API server once it runs. */
export interface EksClusterRecord {
  name: string;
  account: string;
  region: string;
  createdAt: number;
  /** The API server's https URL. */
  endpoint: string;
  /** base64 of the CA's PEM. */
  caData: string;
}

/** The Kubernetes version the infra's clusters run (eks.KubernetesVersion.V1_33). */
const KUBERNETES_VERSION = '1.33';

/** DescribeCluster by name, in the request's Region; a cluster of another Region or name is not found. */
export function describeCluster(clusters: ReadonlyMap<string, EksClusterRecord>) {
  return (
    input: DescribeClusterCommandInput,
    context: OperationContext,
  ): Omit<DescribeClusterCommandOutput, '$metadata'> => {
    const record = clusters.get(input.name ?? '');
    if (!record || record.region !== context.region) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `No cluster found for name: ${input.name}.`,
        404,
        {
          clusterName: input.name,
        },
      );
    }
    return { cluster: clusterOf(record) };
  };
}

function clusterOf(record: EksClusterRecord): Cluster {
  const { name, account, region } = record;
  const id = clusterId(name);
  return {
    name,
    arn: `arn:aws:eks:${region}:${account}:cluster/${name}`,
    createdAt: new Date(record.createdAt),
    version: KUBERNETES_VERSION,
    endpoint: record.endpoint,
    roleArn: `arn:aws:iam::${account}:role/${name}-cluster`,
    resourcesVpcConfig: {
      subnetIds: [],
      securityGroupIds: [],
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
      publicAccessCidrs: [],
    },
    kubernetesNetworkConfig: {
      serviceIpv4Cidr: '172.20.0.0/16',
      ipFamily: 'ipv4',
      elasticLoadBalancing: { enabled: true },
    },
    identity: { oidc: { issuer: `https://oidc.eks.${region}.amazonaws.com/id/${id}` } },
    status: 'ACTIVE',
    certificateAuthority: { data: record.caData },
    platformVersion: 'eks.1',
    tags: {},
    accessConfig: { authenticationMode: 'API' },
    computeConfig: { enabled: true, nodePools: ['system', 'general-purpose'] },
    storageConfig: { blockStorage: { enabled: true } },
    upgradePolicy: { supportType: 'STANDARD' },
  };
}

/** EKS's 32-hex cluster id (the OIDC issuer's last segment), derived from the name so it is stable. */
function clusterId(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 32).toUpperCase();
}
