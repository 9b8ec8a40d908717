/**
 * The merge-style PATCH bodies the API server applies: JSON merge patch (RFC 7386) and strategic merge
 * patch for the fields of the objects served here. Strategic merge merges lists of containers, env entries,
 * ports and volume mounts by their patch merge key (as the Kubernetes API's `x-kubernetes-patch-merge-key`
 * declares them), replaces every other list, deletes a field patched with `null`, and honours the
 * `$patch: delete` / `$patch: replace` directives on list items and maps.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumes: 'name',
  conditions: 'type',
  imagePullSecrets: 'name',
};

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

export function strategicMergePatch(target: Json, patch: Json, field = ''): Json {
  const mergeKey = MERGE_KEYS[field];
  if (Array.isArray(patch) && mergeKey && Array.isArray(target)) return mergeList(target, patch, mergeKey);
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _directive, ...replacement } = patch;
    return replacement;
  }
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    if (value === null) delete result[key];
    else result[key] = strategicMergePatch(result[key] ?? null, value, key);
  }
  return result;
}

function mergeList(target: Json[], patch: Json[], mergeKey: string): Json[] {
  const result = [...target];
  for (const item of patch) {
    const key = isObject(item) ? item[mergeKey] : undefined;
    const index = result.findIndex((existing) => isObject(existing) && existing[mergeKey] === key);
    if (isObject(item) && item.$patch === 'delete') {
      if (index !== -1) result.splice(index, 1);
    } else if (index === -1) result.push(item);
    else result[index] = strategicMergePatch(result[index] as Json, item);
  }
  return result;
}
