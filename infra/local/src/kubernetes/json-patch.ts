import { isObject, type Json, type JsonObject } from './merge-patches';

/** An RFC 6902 patch that cannot be applied: a missing path, a failed `test`, an unknown op. */
export class JsonPatchError extends Error {}

interface Operation {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

/** Applies an RFC 6902 JSON patch (`add`, `remove`, `replace`, `move`, `copy`, `test`) to a copy of `document`. */
export function jsonPatch(document: Json, patch: Json): Json {
  if (!Array.isArray(patch)) throw new JsonPatchError('a JSON patch must be an array of operations');
  let result = structuredClone(document);
  for (const operation of patch.map(operationOf)) result = applyOne(result, operation);
  return result;
}

function operationOf(item: Json): Operation {
  if (!isObject(item) || typeof item.op !== 'string' || typeof item.path !== 'string') {
    throw new JsonPatchError('every JSON patch operation needs an "op" and a "path"');
  }
  const operation: Operation = { op: item.op, path: item.path };
  if ('value' in item) operation.value = item.value as Json;
  if (typeof item.from === 'string') operation.from = item.from;
  return operation;
}

function applyOne(document: Json, operation: Operation): Json {
  const { op, path } = operation;
  switch (op) {
    case 'add':
      return add(document, path, required(operation));
    case 'remove':
      return remove(document, path).document;
    case 'replace':
      return add(remove(document, path).document, path, required(operation));
    case 'move': {
      const taken = remove(document, from(operation));
      return add(taken.document, path, taken.value);
    }
    case 'copy':
      return add(document, path, structuredClone(read(document, from(operation))));
    case 'test':
      if (JSON.stringify(read(document, path)) !== JSON.stringify(required(operation))) {
        throw new JsonPatchError(`testing value ${path} failed`);
      }
      return document;
    default:
      throw new JsonPatchError(`unexpected kind of JSON patch operation: ${op}`);
  }
}

function required(operation: Operation): Json {
  if (operation.value === undefined) throw new JsonPatchError(`${operation.op} operation has no "value"`);
  return operation.value;
}

function from(operation: Operation): string {
  if (operation.from === undefined) throw new JsonPatchError(`${operation.op} operation has no "from"`);
  return operation.from;
}

/** RFC 6901 pointer tokens. */
function tokens(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`path ${path} is not a JSON pointer`);
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function read(document: Json, path: string): Json {
  let current: Json = document;
  for (const token of tokens(path)) current = child(current, token, path);
  return current;
}

function child(parent: Json, token: string, path: string): Json {
  if (Array.isArray(parent)) {
    const value = parent[arrayIndex(token, parent.length - 1, path)];
    if (value === undefined) throw new JsonPatchError(`path ${path} does not exist`);
    return value;
  }
  if (isObject(parent) && token in parent) return parent[token] as Json;
  throw new JsonPatchError(`path ${path} does not exist`);
}

function parentOf(document: Json, path: string): { parent: Json; last: string } {
  const all = tokens(path);
  const last = all.pop();
  if (last === undefined) throw new JsonPatchError('the whole document cannot be patched this way');
  let parent: Json = document;
  for (const token of all) parent = child(parent, token, path);
  return { parent, last };
}

function add(document: Json, path: string, value: Json): Json {
  if (path === '') return value;
  const { parent, last } = parentOf(document, path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : arrayIndex(last, parent.length, path);
    parent.splice(index, 0, value);
  } else if (isObject(parent)) (parent as JsonObject)[last] = value;
  else throw new JsonPatchError(`path ${path} does not exist`);
  return document;
}

function remove(document: Json, path: string): { document: Json; value: Json } {
  const { parent, last } = parentOf(document, path);
  const value = child(parent, last, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length - 1, path), 1);
  else delete (parent as JsonObject)[last];
  return { document, value };
}

function arrayIndex(token: string, max: number, path: string): number {
  const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : Number.NaN;
  if (!(index >= 0 && index <= max)) throw new JsonPatchError(`path ${path} has an index out of range`);
  return index;
}
