/**
 * The two PATCH bodies the fake API server applies, as the real one does for the fields the adapter
 * touches: JSON merge patch (RFC 7386) and the subset of strategic merge patch that matters for a
 * Deployment: lists of containers and env entries merge by `name`, ports by `containerPort`; every other
 * list is replaced; `null` deletes a field.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
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
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
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
    if (index === -1) result.push(item);
    else result[index] = strategicMergePatch(result[index] as Json, item);
  }
  return result;
}
