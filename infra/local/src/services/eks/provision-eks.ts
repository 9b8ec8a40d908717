import { fileURLToPath } from 'node:url';
import type { EksTarget, ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { type KubernetesCluster, startKubernetesCluster } from '../../kubernetes/cluster';
import type { RouterFactory } from '../../kubernetes/ingress-controller';
import { isObject, type JsonObject } from '../../kubernetes/merge-patches';
import type { ContainerRuntime } from '../../runtime/container-runtime';
import type { EksService } from './eks-service';
import { workloadObjects } from './workload-manifests';

export interface ProvisionEksOptions {
  runtime: ContainerRuntime;
  /** Starts the routers standing for the Ingresses' ALBs. */
  routers: RouterFactory;
  /** The repository the manifests' paths are relative to (this checkout by default). */
  repositoryRoot?: string;
  /** How long (real ms) provisioning waits for the stable pods to become ready; 60 s by default. */
  readyWithinMs?: number;
}

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

/**
 * A cluster for every EKS target of the manifest (both environments), running the target's objects from
 * the workload's manifests with the stable track at 1.0.0; each workload's entry point is its Ingress's
 * router. Targets sharing a cluster name share the cluster.
 */
export async function provisionEks(
  service: EksService,
  manifest: ReleaseManifest,
  options: ProvisionEksOptions,
): Promise<void> {
  for (const [workload, entry] of Object.entries(manifest.workloads)) {
    for (const [environment, target] of Object.entries(entry.environments)) {
      if (target.platform !== 'eks') continue;
      await provisionTarget(service, workload, environment, target, options);
    }
  }
}

async function provisionTarget(
  service: EksService,
  workload: string,
  environment: string,
  target: EksTarget,
  options: ProvisionEksOptions,
): Promise<void> {
  const objects = workloadObjects(target, options.repositoryRoot ?? REPOSITORY_ROOT);
  let cluster = service.cluster(target.clusterName);
  if (!cluster) {
    cluster = await startKubernetesCluster({
      name: target.clusterName,
      clock: service.clock,
      runtime: options.runtime,
      faults: service.faults,
      tls: service.tls,
      routers: options.routers,
      logGroup: target.logGroup,
      workloads: { [target.namespace]: workload },
    });
    service.addCluster(cluster, { account: target.account, region: target.region });
  }
  for (const object of objects) cluster.apply(object);
  const ingress = objects.find((object) => object.kind === 'Ingress');
  const name = ingress && isObject(ingress.metadata) ? String(ingress.metadata.name) : undefined;
  if (!name) throw new Error(`the EKS target ${target.clusterName}/${target.namespace} has no Ingress`);
  const router = await cluster.ingressRouter(target.namespace, name);
  service.setEntryPoint(workload, environment, router.url);
  await rolledOut(cluster, objects, options.readyWithinMs ?? 60_000);
}

/** Waits (real time, bounded) until every Deployment of the target reports its rollout complete. */
async function rolledOut(cluster: KubernetesCluster, objects: JsonObject[], withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (const object of objects.filter((o) => o.kind === 'Deployment')) {
    const { namespace, name } = object.metadata as { namespace: string; name: string };
    while (!complete(cluster.read('apps/v1', 'Deployment', namespace, name))) {
      if (Date.now() > deadline) {
        throw new Error(
          `Deployment ${namespace}/${name} in ${cluster.name} did not become ready within ${withinMs / 1000} s; ` +
            "check that its workload starts (its log lines go to the cluster's application log group)",
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function complete(deployment: JsonObject | undefined): boolean {
  const status = isObject(deployment?.status) ? deployment.status : {};
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(isObject);
  return conditions.some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable');
}
