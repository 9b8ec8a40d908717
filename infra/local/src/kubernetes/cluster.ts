import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { FaultPlan } from '../faults/fault-plan';
import type { ContainerRuntime } from '../runtime/container-runtime';
import type { WeightedRouter } from '../runtime/weighted-router';
import { KubernetesApiHandler } from './api-handler';
import { startKubernetesApiServer } from './api-server';
import { DeploymentController } from './deployment-controller';
import { IngressController, type RouterFactory } from './ingress-controller';
import type { JsonObject } from './merge-patches';
import { ObjectStore } from './object-store';
import { resourceOfKind } from './resources';
import type { TlsCertificate } from './tls-certificate';
import { validationProblems } from './validation';

export interface KubernetesClusterOptions {
  name: string;
  clock: ScaledClock;
  runtime: ContainerRuntime;
  faults: FaultPlan;
  tls: TlsCertificate;
  routers: RouterFactory;
  /** Where the pods' stdout goes (Container Insights' application log group). */
  logGroup: string;
  /** The SecureCart workload each namespace runs. */
  workloads: Record<string, string>;
}

/** One cluster: its objects, its controllers, and its API server on HTTPS. */
export interface KubernetesCluster {
  readonly name: string;
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** The CA of the API server's certificate, base64 of its PEM (certificateAuthority.data). */
  readonly caData: string;
  /** Creates an object as `kubectl apply` would the first time (a Namespace, Deployment, Service, Ingress). */
  apply(object: JsonObject): void;
  /** An object as the API serves it (status included), if it exists. */
  read(apiVersion: string, kind: string, namespace: string, name: string): JsonObject | undefined;
  /** The router standing for the ALB of an Ingress. */
  ingressRouter(namespace: string, name: string): Promise<WeightedRouter>;
  close(): Promise<void>;
}

export async function startKubernetesCluster(options: KubernetesClusterOptions): Promise<KubernetesCluster> {
  const { clock } = options;
  const store = new ObjectStore(() => clock.now());
  const deployments = new DeploymentController({ store, ...options });
  const ingresses = new IngressController(store, deployments, options.routers, options.name);
  const server = await startKubernetesApiServer(
    new KubernetesApiHandler(store, () => clock.now()),
    options.tls,
  );
  return {
    name: options.name,
    url: server.url,
    caData: Buffer.from(options.tls.cert).toString('base64'),
    apply(object) {
      const resource = resourceOfKind(String(object.apiVersion), String(object.kind));
      if (!resource) throw new Error(`the local cluster does not serve ${object.apiVersion} ${object.kind}`);
      const problems = validationProblems(resource, object);
      if (problems.length > 0) throw new Error(`${object.kind} is invalid: ${problems.join(', ')}`);
      store.create(resource, object);
    },
    read(apiVersion, kind, namespace, name) {
      const resource = resourceOfKind(apiVersion, kind);
      return resource ? store.find(resource, namespace, name) : undefined;
    },
    ingressRouter: (namespace, name) => ingresses.router(namespace, name),
    async close() {
      await server.close();
      await ingresses.close();
      await deployments.close();
    },
  };
}
