import { randomUUID } from 'node:crypto';
import { isObject, type JsonObject } from './merge-patches';
import type { ResourceType } from './resources';
import { alreadyExists, conflict, notFound } from './status-error';

/** Kubernetes' timestamps: RFC 3339 in UTC, whole seconds. */
export function kubernetesTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export type StoreListener = (resource: ResourceType, object: JsonObject) => void;

/**
 * The objects of one cluster (what etcd holds): each with a uid, a resourceVersion that changes on every
 * write, a creationTimestamp and, for generational kinds, a generation that counts spec changes. Listeners
 * (the controllers) hear of every write, as informers would.
 */
export class ObjectStore {
  private readonly objects = new Map<string, JsonObject>();
  private readonly listeners: StoreListener[] = [];
  private resourceVersion = 1000;

  constructor(private readonly now: () => number) {}

  onChange(listener: StoreListener): void {
    this.listeners.push(listener);
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): JsonObject {
    const object = this.objects.get(key(resource, namespace, name));
    if (!object) throw notFound(resource, name);
    return structuredClone(object);
  }

  find(resource: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    const object = this.objects.get(key(resource, namespace, name));
    return object ? structuredClone(object) : undefined;
  }

  list(resource: ResourceType, namespace?: string): JsonObject[] {
    const prefix = namespace === undefined ? `${resource.plural}/` : `${resource.plural}/${namespace}/`;
    return [...this.objects.entries()]
      .filter(([id]) => id.startsWith(prefix))
      .map(([, object]) => structuredClone(object));
  }

  /** The collection's resourceVersion: the latest write's. */
  currentVersion(): string {
    return String(this.resourceVersion);
  }

  create(resource: ResourceType, object: JsonObject): JsonObject {
    const metadata = metadataOf(object);
    const id = key(resource, metadata.namespace as string | undefined, metadata.name as string);
    if (this.objects.has(id)) throw alreadyExists(resource, metadata.name as string);
    const created = structuredClone(object);
    created.apiVersion = resource.apiVersion;
    created.kind = resource.kind;
    const createdMetadata = metadataOf(created);
    createdMetadata.uid = randomUUID();
    createdMetadata.creationTimestamp = kubernetesTime(this.now());
    if (resource.generational) createdMetadata.generation = 1;
    return this.write(resource, id, created);
  }

  /**
   * Replaces the object's spec and metadata with `updated` (a patch already applied), keeping what the server
   * owns; `expectedVersion` is the precondition a client sent (409 when it is stale).
   */
  update(resource: ResourceType, updated: JsonObject, expectedVersion?: string): JsonObject {
    const metadata = metadataOf(updated);
    const name = metadata.name as string;
    const id = key(resource, metadata.namespace as string | undefined, name);
    const stored = this.objects.get(id);
    if (!stored) throw notFound(resource, name);
    const storedMetadata = metadataOf(stored);
    if (expectedVersion !== undefined && expectedVersion !== storedMetadata.resourceVersion) {
      throw conflict(resource, name);
    }
    const next = structuredClone(updated);
    next.apiVersion = resource.apiVersion;
    next.kind = resource.kind;
    const nextMetadata = metadataOf(next);
    for (const owned of ['uid', 'creationTimestamp', 'generation', 'name', 'namespace'] as const) {
      if (storedMetadata[owned] === undefined) delete nextMetadata[owned];
      else nextMetadata[owned] = storedMetadata[owned];
    }
    if (stored.status === undefined) delete next.status;
    else next.status = stored.status;
    if (resource.generational && JSON.stringify(stored.spec) !== JSON.stringify(next.spec)) {
      nextMetadata.generation = (storedMetadata.generation as number) + 1;
    }
    return this.write(resource, id, next);
  }

  /** What the status subresource writes: only `status`, by a controller. */
  updateStatus(resource: ResourceType, namespace: string, name: string, status: JsonObject): void {
    const id = key(resource, namespace, name);
    const stored = this.objects.get(id);
    if (!stored || JSON.stringify(stored.status) === JSON.stringify(status)) return;
    this.write(resource, id, { ...structuredClone(stored), status: structuredClone(status) });
  }

  private write(resource: ResourceType, id: string, object: JsonObject): JsonObject {
    this.resourceVersion += 1;
    metadataOf(object).resourceVersion = String(this.resourceVersion);
    this.objects.set(id, object);
    for (const listener of this.listeners) listener(resource, structuredClone(object));
    return structuredClone(object);
  }
}

function key(resource: ResourceType, namespace: string | undefined, name: string): string {
  return resource.namespaced ? `${resource.plural}/${namespace}/${name}` : `${resource.plural}/${name}`;
}

export function metadataOf(object: JsonObject): JsonObject {
  if (!isObject(object.metadata)) object.metadata = {};
  return object.metadata as JsonObject;
}
