import {
  type ConfigurationOptions,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1Ingress,
} from '@kubernetes/client-node';
import { USER_AGENT } from '../../aws/user-agent';
import type { EksTarget } from '../../targets/manifest';
import { UnknownWorkloadError } from '../port';
import { canaryPercent, findWeightedAction, type WeightedAction, withCanaryPercent } from './ingress-weights';
import type { ClusterAccess, KubernetesApis } from './kubeconfig';
import { KubernetesCallError, kube } from './kubernetes-call';
import { readTrack, type Track, trackLabel } from './release-annotations';

/** The names of the workload's objects in its namespace, from the target's list of manifests. */
export interface WorkloadObjects {
  namespace: string;
  deployments: readonly string[];
  ingress: string;
}

export function workloadObjects(target: EksTarget): WorkloadObjects {
  const named = (kind: string) => target.objects.filter((object) => object.kind === kind).map((o) => o.name);
  const deployments = named('Deployment');
  const [ingress, another] = named('Ingress');
  if (deployments.length !== 2 || !ingress || another) {
    throw new Error(
      `the EKS target ${target.clusterName}/${target.namespace} must list two Deployments (the stable and canary ` +
        `tracks) and one Ingress among its objects; it lists ${deployments.length} and ${named('Ingress').length}`,
    );
  }
  return { namespace: target.namespace, deployments, ingress };
}

/** Both tracks and the weighted action between them, as read together. */
export interface WorkloadView {
  stable: Track;
  canary: Track;
  ingress: V1Ingress;
  weighted: WeightedAction;
  /** The canary track's share of traffic, in percent. */
  canaryPercent: number;
}

const USER_AGENT_HEADER = USER_AGENT.join('/');

/**
 * Reads and patches the workload's Deployments and Ingress through the Kubernetes API: GET and PATCH only,
 * in the workload namespace, each call retried when throttled and named in its error.
 */
export class KubernetesWorkload {
  constructor(
    private readonly workload: string,
    private readonly objects: WorkloadObjects,
    private readonly access: ClusterAccess,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async read(): Promise<WorkloadView> {
    const deployments: V1Deployment[] = [];
    for (const name of this.objects.deployments) deployments.push(await this.readDeployment(name));
    const stable = deployments.find((deployment) => trackLabel(deployment) === 'stable');
    const canary = deployments.find((deployment) => trackLabel(deployment) === 'canary');
    if (!stable || !canary) {
      throw new Error(
        `the Deployments ${this.objects.deployments.join(' and ')} in namespace ${this.objects.namespace} must be ` +
          'labelled track: stable and track: canary, one each, as the workload manifests label them',
      );
    }
    const ingress = await this.readIngress();
    return viewOf(readTrack(stable), readTrack(canary), ingress);
  }

  readDeployment(name: string): Promise<V1Deployment> {
    const { namespace } = this.objects;
    return this.call(`read Deployment ${namespace}/${name}`, `Deployment ${name}`, (apis) =>
      apis.apps.readNamespacedDeployment({ name, namespace }, this.headers()),
    );
  }

  /** Applies a strategic merge patch (containers merge by name) and returns the Deployment as patched. */
  patchDeployment(name: string, body: object, what: string): Promise<V1Deployment> {
    const { namespace } = this.objects;
    const options = this.headers(PatchStrategy.StrategicMergePatch);
    return this.call(what, `Deployment ${name}`, (apis) =>
      apis.apps.patchNamespacedDeployment({ name, namespace, body }, options),
    );
  }

  /**
   * Sets the weighted action to `percent` on the canary (the rest on stable), from a fresh read of the
   * Ingress; the patch carries the resourceVersion it was computed from, so a concurrent change to the
   * Ingress is refused (409) instead of overwritten.
   */
  async setCanaryPercent(
    tracks: { stable: Track; canary: Track },
    percent: number,
    what: string,
  ): Promise<void> {
    const view = viewOf(tracks.stable, tracks.canary, await this.readIngress());
    if (view.canaryPercent === percent) return;
    const services = { stable: tracks.stable.name, canary: tracks.canary.name };
    const body = {
      metadata: {
        resourceVersion: view.ingress.metadata?.resourceVersion,
        annotations: { [view.weighted.key]: withCanaryPercent(view.weighted, percent, services) },
      },
    };
    const { namespace, ingress: name } = this.objects;
    const options = this.headers(PatchStrategy.MergePatch);
    try {
      await this.call(what, `Ingress ${name}`, (apis) =>
        apis.networking.patchNamespacedIngress({ name, namespace, body }, options),
      );
    } catch (error) {
      // A retried patch whose first attempt landed meets its own resourceVersion change.
      const landed =
        error instanceof KubernetesCallError &&
        error.kind === 'conflict' &&
        viewOf(tracks.stable, tracks.canary, await this.readIngress()).canaryPercent === percent;
      if (!landed) throw error;
    }
  }

  private readIngress(): Promise<V1Ingress> {
    const { namespace, ingress: name } = this.objects;
    return this.call(`read Ingress ${namespace}/${name}`, `Ingress ${name}`, (apis) =>
      apis.networking.readNamespacedIngress({ name, namespace }, this.headers()),
    );
  }

  private headers(contentType?: PatchStrategy): ConfigurationOptions {
    const agent = setHeaderOptions('User-Agent', USER_AGENT_HEADER);
    return contentType ? setHeaderOptions('Content-Type', contentType, agent) : agent;
  }

  /**
   * One call; a 404 means the workload is not where the target says, which is bad input. Signing in
   * (DescribeCluster, the token) fails with its own errors, before the call.
   */
  private async call<T>(what: string, object: string, run: (apis: KubernetesApis) => Promise<T>): Promise<T> {
    const apis = await this.access.apis();
    try {
      return await kube(what, () => run(apis), this.sleep);
    } catch (error) {
      if (error instanceof KubernetesCallError && error.kind === 'not-found') {
        const where = `${this.access.where}: no ${object} in namespace ${this.objects.namespace}`;
        throw new UnknownWorkloadError(this.workload, where);
      }
      throw error;
    }
  }
}

function viewOf(stable: Track, canary: Track, ingress: V1Ingress): WorkloadView {
  const weighted = findWeightedAction(ingress, { stable: stable.name, canary: canary.name });
  return { stable, canary, ingress, weighted, canaryPercent: canaryPercent(weighted) };
}
