import type { ContainerSpec } from '../runtime/container-runtime';
import { isObject, type Json, type JsonObject } from './merge-patches';

/** What a pod runs as: its name, namespace, labels and annotations (the downward API's fields). */
export interface PodIdentity {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * The container of a pod template to run as a local process: the only container, or the one named like the
 * pod's `app` label (sidecars are not run). Env entries with `value` are copied; `valueFrom.fieldRef` is
 * resolved as the downward API resolves it (annotations, labels, name, namespace, pod IP); other sources
 * (Secrets, ConfigMaps) are not served and are left out.
 */
export function containerOf(
  template: JsonObject,
  pod: PodIdentity,
): { image: string; env: Record<string, string> } {
  const spec = isObject(template.spec) ? template.spec : {};
  const containers = (Array.isArray(spec.containers) ? spec.containers : []).filter(isObject);
  const container =
    containers.length === 1 ? containers[0] : containers.find((c) => c.name === pod.labels.app);
  if (!container) throw new Error(`pod ${pod.namespace}/${pod.name} has no container to run`);
  const env: Record<string, string> = {};
  for (const entry of Array.isArray(container.env) ? container.env : []) {
    if (!isObject(entry) || typeof entry.name !== 'string') continue;
    const value = typeof entry.value === 'string' ? entry.value : fieldValue(entry.valueFrom, pod);
    if (value !== undefined) env[entry.name] = value;
  }
  return { image: String(container.image), env };
}

function fieldValue(valueFrom: Json | undefined, pod: PodIdentity): string | undefined {
  const fieldRef = isObject(valueFrom) && isObject(valueFrom.fieldRef) ? valueFrom.fieldRef : undefined;
  const path = typeof fieldRef?.fieldPath === 'string' ? fieldRef.fieldPath : undefined;
  if (!path) return undefined;
  const keyed = /^metadata\.(annotations|labels)\['(.+)'\]$/.exec(path);
  if (keyed)
    return keyed[1] === 'annotations' ? pod.annotations[keyed[2] as string] : pod.labels[keyed[2] as string];
  const simple: Record<string, string> = {
    'metadata.name': pod.name,
    'metadata.namespace': pod.namespace,
    'status.podIP': '127.0.0.1',
    'status.hostIP': '127.0.0.1',
    'spec.nodeName': 'local',
  };
  return simple[path];
}

/** The version a container runs: its RELEASE_VERSION, else its image tag (what the runtime also uses). */
export function versionOf(spec: Pick<ContainerSpec, 'image' | 'env'>): string {
  const given = spec.env.RELEASE_VERSION?.trim();
  if (given) return given;
  const last = spec.image.split('@')[0]?.split('/').pop() ?? '';
  return last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : 'latest';
}
