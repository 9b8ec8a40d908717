import type { RouterTarget, WeightedRouter, WeightedRouterOptions } from '../runtime/weighted-router';
import type { DeploymentController, PodView } from './deployment-controller';
import { matchesLabels } from './label-selector';
import { isObject, type Json, type JsonObject } from './merge-patches';
import { metadataOf, type ObjectStore } from './object-store';
import { RESOURCES, type ResourceType } from './resources';

/** Starts a router (the sink is bound by whoever builds the cloud). */
export type RouterFactory = (options: Omit<WeightedRouterOptions, 'sink'>) => Promise<WeightedRouter>;

const INGRESSES = RESOURCES.find((r) => r.kind === 'Ingress') as ResourceType;
const SERVICES = RESOURCES.find((r) => r.kind === 'Service') as ResourceType;
const ACTION_PREFIX = 'alb.ingress.kubernetes.io/actions.';
/** Router weights are integers; a target group's weight is split evenly over its pods at this resolution. */
const WEIGHT_RESOLUTION = 1000;

interface TargetGroup {
  serviceName: string;
  weight: number;
}

/**
 * The load balancer controller: one WeightedRouter per Ingress standing for its ALB. The Ingress's backend
 * (a Service, or with port `use-annotation` the forward action in `alb.ingress.kubernetes.io/actions.<name>`)
 * gives target groups by Service; each target group's targets are the ready pods its Service selects
 * (target-type ip), and the weights are the action's. Targets follow every change of the Ingress, its
 * Services and the pods.
 */
export class IngressController {
  private readonly routers = new Map<string, Promise<WeightedRouter>>();
  private closed = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly pods: DeploymentController,
    private readonly startRouter: RouterFactory,
    private readonly clusterName: string,
  ) {
    store.onChange((resource) => {
      if (resource === INGRESSES || resource === SERVICES) this.refreshAll();
    });
    pods.onPodsChanged(() => this.refreshAll());
  }

  /** The router of an Ingress (started on first use): the ALB's URL. */
  router(namespace: string, name: string): Promise<WeightedRouter> {
    const key = `${namespace}/${name}`;
    let router = this.routers.get(key);
    if (!router) {
      router = this.startRouter({ name: `${this.clusterName} ingress ${key}` });
      this.routers.set(key, router);
      router.then(() => this.refreshAll()).catch(() => this.routers.delete(key));
    }
    return router;
  }

  async close(): Promise<void> {
    this.closed = true;
    const routers = await Promise.allSettled(this.routers.values());
    await Promise.all(routers.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
  }

  private refreshAll(): void {
    if (this.closed) return;
    for (const ingress of this.store.list(INGRESSES)) {
      const metadata = metadataOf(ingress);
      const key = `${metadata.namespace}/${metadata.name}`;
      const router = this.routers.get(key);
      if (router)
        void router.then(
          (started) => started.setTargets(this.targetsOf(ingress)),
          () => undefined,
        );
    }
  }

  private targetsOf(ingress: JsonObject): RouterTarget[] {
    const namespace = metadataOf(ingress).namespace as string;
    const ready = this.pods.readyPods(namespace);
    const targets: RouterTarget[] = [];
    for (const group of targetGroupsOf(ingress)) {
      const service = this.store.find(SERVICES, namespace, group.serviceName);
      const selector = isObject(service?.spec) ? service.spec.selector : undefined;
      if (!isObject(selector) || group.weight === 0) continue;
      const members = ready.filter((pod: PodView) =>
        matchesLabels(selector as Record<string, string>, pod.labels),
      );
      for (const pod of members) {
        const weight = Math.round((group.weight * WEIGHT_RESOLUTION) / members.length);
        targets.push({ id: `${group.serviceName}/${pod.name}`, url: pod.url, weight });
      }
    }
    return targets;
  }
}

/** The target groups of the Ingress's first backend (the default backend, else the first rule's first path). */
export function targetGroupsOf(ingress: JsonObject): TargetGroup[] {
  const spec = isObject(ingress.spec) ? ingress.spec : {};
  const backend = firstBackend(spec);
  const service = isObject(backend) && isObject(backend.service) ? backend.service : undefined;
  if (!service || typeof service.name !== 'string') return [];
  const port = isObject(service.port) ? service.port : {};
  if (port.name !== 'use-annotation') return [{ serviceName: service.name, weight: 1 }];
  const annotations = (metadataOf(ingress).annotations ?? {}) as Record<string, string>;
  return forwardGroups(annotations[`${ACTION_PREFIX}${service.name}`]);
}

function firstBackend(spec: JsonObject): Json | undefined {
  if (spec.defaultBackend) return spec.defaultBackend;
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  const http = isObject(rules[0]) && isObject(rules[0].http) ? rules[0].http : undefined;
  const paths = Array.isArray(http?.paths) ? http.paths : [];
  return isObject(paths[0]) ? paths[0].backend : undefined;
}

/** A forward action's target groups; an action the controller would refuse routes nowhere. */
function forwardGroups(annotation: string | undefined): TargetGroup[] {
  let action: Json;
  try {
    action = JSON.parse(annotation ?? 'null') as Json;
  } catch {
    return [];
  }
  if (!isObject(action) || action.type !== 'forward') return [];
  const forward = isObject(action.forwardConfig) ? action.forwardConfig : {};
  const groups = Array.isArray(forward.targetGroups) ? forward.targetGroups : [];
  return groups.filter(isObject).flatMap((group) => {
    const weight = group.weight ?? 1;
    const valid =
      typeof group.serviceName === 'string' && typeof weight === 'number' && weight >= 0 && weight <= 999;
    return valid ? [{ serviceName: group.serviceName as string, weight: weight as number }] : [];
  });
}
