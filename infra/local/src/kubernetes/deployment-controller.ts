import { createHash, randomBytes } from 'node:crypto';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { type FaultPlan, versionFault } from '../faults/fault-plan';
import type { ContainerRuntime, ContainerSpec } from '../runtime/container-runtime';
import { deploymentStatus, isComplete, type Progress } from './deployment-status';
import { isObject, type JsonObject } from './merge-patches';
import { metadataOf, type ObjectStore } from './object-store';
import { Pod } from './pod';
import { containerOf, versionOf } from './pod-spec';
import { RESOURCES, type ResourceType } from './resources';
import { rollingLimits, rollingStep } from './rolling-update';

const DEPLOYMENTS = RESOURCES.find((r) => r.kind === 'Deployment') as ResourceType;
/** How often every Deployment is looked at again (the readiness probe's period in the manifests). */
const RESYNC_MS = 5_000;
/** Between a pod leaving its Service's endpoints and its process being stopped, so no request is sent to it. */
const TERMINATION_DRAIN_MS = 2_000;

interface ReplicaSet {
  name: string;
  hash: string;
  template: JsonObject;
  replicas: number;
  pods: Pod[];
  created: number;
}

interface Tracked {
  replicaSets: Map<string, ReplicaSet>;
  currentHash?: string;
  progressAt: number;
  progress: Progress;
  observedGeneration: number;
  /** The ready pods at the last sync, to tell the Ingress controller when they change. */
  ready: string;
}

export interface DeploymentControllerOptions {
  store: ObjectStore;
  clock: ScaledClock;
  runtime: ContainerRuntime;
  faults: FaultPlan;
  /** The log group the pods' stdout goes to (`/aws/containerinsights/<cluster>/application`). */
  logGroup: string;
  /** The SecureCart workload a namespace's pods run (else the pod's `app` label). */
  workloads: Record<string, string>;
}

export interface PodView {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  url: string;
}

/**
 * The Deployment controller and the kubelet in one: every Deployment's pods are local processes in
 * ReplicaSets by pod template, rolled from old to new within maxSurge/maxUnavailable as pods become ready,
 * and its status written as the real controller writes it (Progressing=False ProgressDeadlineExceeded once
 * progressDeadlineSeconds of cloud time pass without progress). Syncs run after every change to a
 * Deployment or pod, and every 5 s of cloud time.
 */
export class DeploymentController {
  private readonly tracked = new Map<string, Tracked>();
  private readonly queued = new Set<string>();
  private readonly podListeners: (() => void)[] = [];
  private readonly stopping = new Set<Promise<void>>();
  private closed = false;
  private sequence = 0;
  private readonly resync: Promise<void>;

  constructor(private readonly options: DeploymentControllerOptions) {
    options.store.onChange((resource, object) => {
      if (resource === DEPLOYMENTS) this.enqueue(object);
    });
    this.resync = this.resyncLoop();
  }

  /** Called after the set of ready pods changes (the Ingress controller's cue). */
  onPodsChanged(listener: () => void): void {
    this.podListeners.push(listener);
  }

  /** The ready pods of a namespace, with their labels: what a Service's endpoints are made of. */
  readyPods(namespace: string): PodView[] {
    const ready: PodView[] = [];
    for (const [key, tracked] of this.tracked) {
      if (!key.startsWith(`${namespace}/`)) continue;
      for (const rs of tracked.replicaSets.values()) {
        for (const pod of rs.pods) {
          const url = pod.url();
          if (pod.ready() && url) ready.push({ name: pod.name, namespace, labels: pod.identity.labels, url });
        }
      }
    }
    return ready;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.resync;
    const pods = [...this.tracked.values()].flatMap((t) =>
      [...t.replicaSets.values()].flatMap((rs) => rs.pods),
    );
    await Promise.all([...pods.map((pod) => pod.terminate()), ...this.stopping]);
  }

  private enqueue(deployment: JsonObject): void {
    const metadata = metadataOf(deployment);
    const key = `${metadata.namespace}/${metadata.name}`;
    if (this.closed || this.queued.has(key)) return;
    this.queued.add(key);
    setImmediate(() => {
      this.queued.delete(key);
      if (this.closed) return;
      const [namespace = '', name = ''] = key.split('/');
      const current = this.options.store.find(DEPLOYMENTS, namespace, name);
      if (current) this.sync(key, current);
    });
  }

  private async resyncLoop(): Promise<void> {
    while (!this.closed) {
      await this.options.clock.sleep(RESYNC_MS);
      await yieldToEvents();
      if (this.closed) return;
      for (const deployment of this.options.store.list(DEPLOYMENTS)) this.enqueue(deployment);
    }
  }

  private sync(key: string, deployment: JsonObject): void {
    const now = this.options.clock.now();
    const spec = deployment.spec as JsonObject;
    const desired = (spec.replicas as number | undefined) ?? 1;
    const limits = rollingLimits(spec, desired);
    const tracked = this.trackedOf(key, now);
    const current = this.replicaSetFor(tracked, deployment, now);
    const old = [...tracked.replicaSets.values()]
      .filter((rs) => rs !== current)
      .sort((a, b) => a.created - b.created);
    const step = rollingStep(desired, limits, countsOf(current), old.map(countsOf));
    const scaled = step.current !== current.replicas || step.old.some((n, i) => n !== old[i]?.replicas);
    current.replicas = step.current;
    old.forEach((rs, index) => {
      rs.replicas = step.old[index] as number;
    });
    if (scaled) tracked.progressAt = now;
    for (const rs of [current, ...old]) this.reconcilePods(key, rs, deployment);
    this.writeStatus(key, tracked, deployment, {
      desired,
      maxUnavailable: limits.maxUnavailable,
      current,
      now,
    });
    const ready = readySignature(tracked);
    if (ready !== tracked.ready) {
      tracked.ready = ready;
      this.announcePods();
    }
  }

  private trackedOf(key: string, now: number): Tracked {
    let tracked = this.tracked.get(key);
    if (!tracked) {
      tracked = {
        replicaSets: new Map(),
        progressAt: now,
        progress: 'created',
        observedGeneration: 0,
        ready: '',
      };
      this.tracked.set(key, tracked);
    }
    return tracked;
  }

  /** The ReplicaSet of the current pod template: an earlier one with the same template is taken back. */
  private replicaSetFor(tracked: Tracked, deployment: JsonObject, now: number): ReplicaSet {
    const template = (deployment.spec as JsonObject).template as JsonObject;
    const hash = templateHash(template);
    let rs = tracked.replicaSets.get(hash);
    if (!rs) {
      const name = `${metadataOf(deployment).name}-${hash}`;
      rs = {
        name,
        hash,
        template: structuredClone(template),
        replicas: 0,
        pods: [],
        created: this.sequence++,
      };
      tracked.replicaSets.set(hash, rs);
    }
    if (tracked.currentHash !== hash) {
      tracked.currentHash = hash;
      tracked.progressAt = now;
      tracked.progress = 'created';
    }
    return rs;
  }

  /** Starts or stops pods so the ReplicaSet has `replicas` (failed and starting pods are removed first). */
  private reconcilePods(key: string, rs: ReplicaSet, deployment: JsonObject): void {
    while (rs.pods.length < rs.replicas) rs.pods.push(this.startPod(key, rs, deployment));
    if (rs.pods.length > rs.replicas) {
      const rank = (pod: Pod) => (pod.phase === 'failed' ? 0 : pod.phase === 'starting' ? 1 : 2);
      const byRank = [...rs.pods].sort((a, b) => rank(a) - rank(b));
      const removed = byRank.slice(0, rs.pods.length - rs.replicas);
      rs.pods = rs.pods.filter((pod) => !removed.includes(pod));
      for (const pod of removed) this.stopLater(pod);
    }
  }

  private startPod(key: string, rs: ReplicaSet, deployment: JsonObject): Pod {
    const [namespace = ''] = key.split('/');
    const metadata = isObject(rs.template.metadata) ? rs.template.metadata : {};
    const labels: Record<string, string> = {
      ...((metadata.labels ?? {}) as Record<string, string>),
      'pod-template-hash': rs.hash,
    };
    const identity = {
      name: `${rs.name}-${randomBytes(3).toString('hex').slice(0, 5)}`,
      namespace,
      labels,
      annotations: { ...((metadata.annotations ?? {}) as Record<string, string>) },
    };
    const { image, env } = containerOf(rs.template, identity);
    const workload = this.options.workloads[namespace] ?? labels.app ?? namespace;
    const spec: ContainerSpec = { workload, image, env, logGroup: this.options.logGroup };
    const fault = versionFault(this.options.faults, workload, versionOf(spec));
    if (fault) spec.fault = fault;
    const pod = new Pod(identity, rs.hash, spec, this.options.runtime, () => {
      if (pod.phase === 'ready') this.progressed(this.tracked.get(key), this.options.clock.now());
      this.enqueue(deployment);
    });
    return pod;
  }

  private stopLater(pod: Pod): void {
    const stopped = this.options.clock
      .sleep(TERMINATION_DRAIN_MS)
      .then(() => pod.terminate())
      .finally(() => this.stopping.delete(stopped));
    this.stopping.add(stopped);
  }

  /** A new pod became ready: progress, which also ends the NewReplicaSetCreated phase. */
  private progressed(tracked: Tracked | undefined, now: number): void {
    if (!tracked) return;
    tracked.progressAt = now;
    if (tracked.progress === 'created') tracked.progress = 'progressing';
  }

  private writeStatus(
    key: string,
    tracked: Tracked,
    deployment: JsonObject,
    at: { desired: number; maxUnavailable: number; current: ReplicaSet; now: number },
  ): void {
    const { desired, maxUnavailable, current, now } = at;
    const all = [...tracked.replicaSets.values()].flatMap((rs) => rs.pods);
    const pods = { total: all.length, ready: all.filter((pod) => pod.ready()).length };
    const updated = { total: current.pods.length, ready: current.pods.filter((pod) => pod.ready()).length };
    const spec = deployment.spec as JsonObject;
    const deadlineMs = ((spec.progressDeadlineSeconds as number | undefined) ?? 600) * 1000;
    if (isComplete({ desired, pods, updated })) tracked.progress = 'complete';
    else if (now - tracked.progressAt > deadlineMs) tracked.progress = 'deadline-exceeded';
    else if (tracked.progress === 'complete' || tracked.progress === 'deadline-exceeded') {
      tracked.progress = 'progressing';
    }
    const metadata = metadataOf(deployment);
    tracked.observedGeneration = metadata.generation as number;
    const previous = isObject(deployment.status)
      ? ((deployment.status.conditions ?? []) as JsonObject[])
      : [];
    const status = deploymentStatus({
      generation: tracked.observedGeneration,
      desired,
      maxUnavailable,
      newReplicaSet: current.name,
      pods,
      updated,
      progress: tracked.progress,
      now,
      previous,
    });
    const [namespace = '', name = ''] = key.split('/');
    this.options.store.updateStatus(DEPLOYMENTS, namespace, name, status);
  }

  private announcePods(): void {
    for (const listener of this.podListeners) listener();
  }
}

function readySignature(tracked: Tracked): string {
  const pods = [...tracked.replicaSets.values()].flatMap((rs) => rs.pods);
  return pods
    .filter((pod) => pod.ready())
    .map((pod) => `${pod.name}=${pod.url()}`)
    .join(',');
}

function countsOf(rs: ReplicaSet | undefined) {
  const pods = rs?.pods ?? [];
  const available = pods.filter((pod) => pod.ready()).length;
  return { replicas: rs?.replicas ?? 0, available, unavailable: pods.length - available };
}

/** pod-template-hash: a short stable hash of the pod template. */
function templateHash(template: JsonObject): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
}
