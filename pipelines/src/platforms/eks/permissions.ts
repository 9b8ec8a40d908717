import type { Permission } from '../../aws/permission';

/**
 * What the EKS adapter needs, in two parts: the IAM actions of Tollgate's deploy role (the cluster token is a
 * GetCallerIdentity request Tollgate only presigns and EKS sends; STS allows it to every caller, so it needs no
 * grant, but a policy that denies it breaks the token), and the Kubernetes
 * access that role must be given inside the cluster (an EKS access entry, or an RBAC Role bound to the
 * user or group the access entry maps it to). The adapter's tests fail if it sends anything not listed.
 */
export const PERMISSIONS: readonly Permission[] = [
  {
    action: 'eks:DescribeCluster',
    resource: 'the target cluster',
    why: "the API server's endpoint and CA, when KUBECONFIG is not set",
  },
];

/** One rule of the namespaced Role the deploy role needs, in RBAC's terms. */
export interface KubernetesAccess {
  apiGroup: string;
  resource: string;
  verbs: readonly string[];
  /** RBAC resourceNames: the target's own objects. */
  names: string;
  why: string;
}

/** Namespaced to the target's namespace; nothing cluster-wide, nothing created or deleted. */
export const KUBERNETES_ACCESS: readonly KubernetesAccess[] = [
  {
    apiGroup: 'apps',
    resource: 'deployments',
    verbs: ['get', 'patch'],
    names: "the target's stable and canary Deployments",
    why: 'read each track (image, release annotation, rollout status); set the canary and stable images and replicas',
  },
  {
    apiGroup: 'networking.k8s.io',
    resource: 'ingresses',
    verbs: ['get', 'patch'],
    names: "the target's Ingress",
    why: 'read and set the weights of the weighted forward action annotation',
  },
];
