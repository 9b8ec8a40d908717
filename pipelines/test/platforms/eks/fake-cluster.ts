import { isObject, type Json, mergePatch, strategicMergePatch } from './merge-patches';

export type Resource = 'deployments' | 'ingresses';
type JsonObject = { [key: string]: Json };

/** A Deployment's pods coming up after a change to it: what its status is computed from at each read. */
interface Rollout {
  startedAt: number;
  /** Pods available when the change came; kept (old ones) until the new ones are ready. */
  fromAvailable: number;
  templateChanged: boolean;
  neverReady: boolean;
}

interface Stored {
  body: JsonObject;
  rollout?: Rollout;
}

/** The objects as they were after one change, at the cluster's time. */
export interface Snapshot {
  at: number;
  deployments: Record<string, JsonObject>;
  ingresses: Record<string, JsonObject>;
}

export type PatchOutcome =
  | { ok: true; object: JsonObject }
  | { ok: false; code: number; reason: string; message: string };

export interface FakeClusterOptions {
  now: () => number;
  /** How long new pods take to become ready (default 20 s). */
  readyAfterMs?: number;
}

/**
 * The state the fake Kubernetes API server serves: Deployments and Ingresses in memory, each with a
 * resourceVersion and (Deployments) a generation, and a Deployment controller acted out at read time:
 * pods of a changed Deployment become ready `readyAfterMs` later, or never for an image told to fail, and
 * past the progress deadline the controller says so, as the real one does.
 */
export class FakeCluster {
  readonly history: Snapshot[] = [];
  private readonly objects = new Map<string, Stored>();
  private readonly brokenImages = new Set<string>();
  private resourceVersion = 1000;
  private readonly readyAfterMs: number;

  constructor(private readonly options: FakeClusterOptions) {
    this.readyAfterMs = options.readyAfterMs ?? 20_000;
  }

  now(): number {
    return this.options.now();
  }

  add(resource: Resource, object: JsonObject): void {
    const body = structuredClone(object);
    const metadata = body.metadata as JsonObject;
    metadata.resourceVersion = this.nextVersion();
    if (resource === 'deployments') metadata.generation = 1;
    this.objects.set(key(resource, metadata.namespace as string, metadata.name as string), { body });
    this.snapshot();
  }

  /** Pods running `image` never pass their readiness probe (a crash loop, a missing dependency). */
  breakImage(image: string): void {
    this.brokenImages.add(image);
  }

  get(resource: Resource, namespace: string, name: string): JsonObject | undefined {
    const stored = this.objects.get(key(resource, namespace, name));
    if (!stored) return undefined;
    const body = structuredClone(stored.body);
    if (resource === 'deployments') body.status = this.deploymentStatus(stored);
    return body;
  }

  patch(resource: Resource, namespace: string, name: string, contentType: string, patch: Json): PatchOutcome {
    const stored = this.objects.get(key(resource, namespace, name));
    if (!stored) return { ok: false, code: 404, reason: 'NotFound', message: notFound(resource, name) };
    if (!isObject(patch)) return invalid(`${contentType} patch must be a JSON object`);
    const precondition = isObject(patch.metadata) ? patch.metadata.resourceVersion : undefined;
    const metadata = stored.body.metadata as JsonObject;
    if (precondition !== undefined && precondition !== metadata.resourceVersion) {
      const message = `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`;
      return { ok: false, code: 409, reason: 'Conflict', message };
    }
    const apply = contentType === 'application/merge-patch+json' ? mergePatch : strategicMergePatch;
    const patched = apply(stored.body, patch) as JsonObject;
    const problem = validate(resource, patched);
    if (problem) return invalid(problem);
    this.commit(resource, stored, patched);
    return { ok: true, object: this.get(resource, namespace, name) as JsonObject };
  }

  private commit(resource: Resource, stored: Stored, patched: JsonObject): void {
    const before = stored.body;
    const metadata = patched.metadata as JsonObject;
    metadata.resourceVersion = this.nextVersion();
    if (resource === 'deployments' && JSON.stringify(before.spec) !== JSON.stringify(patched.spec)) {
      metadata.generation = ((before.metadata as JsonObject).generation as number) + 1;
      const rollout = this.startRollout(stored, patched);
      if (rollout) stored.rollout = rollout;
      else delete stored.rollout;
    }
    stored.body = patched;
    this.snapshot();
  }

  private startRollout(stored: Stored, patched: JsonObject): Rollout | undefined {
    const available = (this.deploymentStatus(stored).availableReplicas as number) ?? 0;
    const before = (stored.body.spec as JsonObject).template;
    const template = (patched.spec as JsonObject).template as JsonObject;
    const templateChanged = JSON.stringify(before) !== JSON.stringify(template);
    if (!templateChanged && replicasOf(patched) <= available) return undefined;
    const images = (((template.spec as JsonObject).containers ?? []) as JsonObject[]).map((c) => c.image);
    const neverReady = images.some((image) => this.brokenImages.has(image as string));
    return { startedAt: this.now(), fromAvailable: available, templateChanged, neverReady };
  }

  private deploymentStatus(stored: Stored): JsonObject {
    const metadata = stored.body.metadata as JsonObject;
    const generation = metadata.generation as number;
    const replicas = replicasOf(stored.body);
    const { rollout } = stored;
    const ready = !rollout || (!rollout.neverReady && this.now() - rollout.startedAt >= this.readyAfterMs);
    if (ready || replicas === 0) {
      const progressing = condition(
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${metadata.name}" has successfully progressed.`,
      );
      return {
        observedGeneration: generation,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [progressing],
      };
    }
    const updatedReady = rollout.templateChanged ? 0 : Math.min(replicas, rollout.fromAvailable);
    const old = rollout.templateChanged ? rollout.fromAvailable : 0;
    const deadlineMs = (((stored.body.spec as JsonObject).progressDeadlineSeconds as number) ?? 600) * 1000;
    const progressing =
      this.now() - rollout.startedAt > deadlineMs
        ? condition(
            'False',
            'ProgressDeadlineExceeded',
            `ReplicaSet "${metadata.name}" has timed out progressing.`,
          )
        : condition('True', 'ReplicaSetUpdated', `ReplicaSet "${metadata.name}" is progressing.`);
    const status: JsonObject = {
      observedGeneration: generation,
      replicas: replicas + old,
      updatedReplicas: replicas,
      readyReplicas: updatedReady + old,
      availableReplicas: updatedReady + old,
      unavailableReplicas: replicas - updatedReady,
      conditions: [progressing],
    };
    return status;
  }

  private snapshot(): void {
    const snapshot: Snapshot = { at: this.now(), deployments: {}, ingresses: {} };
    for (const [id, stored] of this.objects) {
      const [resource, , name] = id.split('/') as [Resource, string, string];
      snapshot[resource][name] = structuredClone(stored.body);
    }
    this.history.push(snapshot);
  }

  private nextVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }
}

function key(resource: Resource, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

export function qualified(resource: Resource): string {
  return resource === 'deployments' ? 'deployments.apps' : 'ingresses.networking.k8s.io';
}

export function notFound(resource: Resource, name: string): string {
  return `${qualified(resource)} "${name}" not found`;
}

function replicasOf(deployment: JsonObject): number {
  return ((deployment.spec as JsonObject).replicas as number | undefined) ?? 1;
}

function condition(status: string, reason: string, message: string): JsonObject {
  return { type: 'Progressing', status, reason, message };
}

function invalid(message: string): PatchOutcome {
  return { ok: false, code: 422, reason: 'Invalid', message };
}

/** What the real API server's validation would refuse among the fields the adapter writes. */
function validate(resource: Resource, object: JsonObject): string | undefined {
  const annotations = (object.metadata as JsonObject).annotations;
  if (isObject(annotations) && Object.values(annotations).some((value) => typeof value !== 'string')) {
    return 'metadata.annotations: Invalid value: annotation values must be strings';
  }
  if (resource !== 'deployments') return undefined;
  const replicas = replicasOf(object);
  if (!Number.isInteger(replicas) || replicas < 0) return `spec.replicas: Invalid value: ${replicas}`;
  const template = (object.spec as JsonObject).template as JsonObject;
  const containers = ((template.spec as JsonObject).containers ?? []) as JsonObject[];
  if (containers.some((container) => typeof container.image !== 'string' || container.image === '')) {
    return 'spec.template.spec.containers[0].image: Required value';
  }
  return undefined;
}
