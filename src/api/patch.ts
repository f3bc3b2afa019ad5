/**
 * The three patch types. Every walker reads and writes own properties only (model/json-value's
 * getOwn/setOwn), so `__proto__`, `constructor` and `prototype` are ordinary keys and no patch
 * can reach an object's prototype.
 */
import { TugboatError } from '../model/errors.js';
import type { PatchType } from '../client/types.js';
import { getOwn, hasOwn, isJsonObject as isPlainObject, setOwn, toJsonValue } from '../model/json-value.js';

type Json = unknown;

/** A copy of a patch value (own properties only). */
function copyOf(v: Json): Json {
  return toJsonValue(v, 'patch');
}

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, everything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return copyOf(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, mergePatch(getOwn(out, k), v));
  }
  return out;
}

/** The list merge key of a field, if it has one. */
function mergeKeyOf(field: string): string | undefined {
  return hasOwn(MERGE_KEYS, field) ? MERGE_KEYS[field] : undefined;
}

/**
 * The list merge keys of Kubernetes' strategic merge patch for the fields tugboat serves:
 * lists of objects under these field names merge element-wise by the key instead of replacing.
 */
export const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  conditions: 'type',
  imagePullSecrets: 'name',
  tolerations: 'key',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};

/**
 * Kubernetes' strategic merge patch, for the common cases: like a merge patch, but lists with a
 * known merge key merge by that key, `$patch: delete` removes an element, `$patch: replace`
 * replaces a map or list, and `$retainKeys`/`$setElementOrder` are accepted and ignored.
 */
export function strategicMergePatch(target: Json, patch: Json, field = ''): Json {
  if (Array.isArray(patch)) return mergeList(target, patch, field);
  if (!isPlainObject(patch)) return copyOf(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return copyOf(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$retainKeys') || k.startsWith('$setElementOrder') || k === '$patch') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const list = k.slice('$deleteFromPrimitiveList/'.length);
      const drop = new Set(Array.isArray(v) ? v : []);
      const current = getOwn(out, list);
      if (Array.isArray(current))
        setOwn(
          out,
          list,
          current.filter((x) => !drop.has(x)),
        );
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const merged = strategicMergePatch(getOwn(out, k), v, k);
    if (merged === undefined) delete out[k];
    else setOwn(out, k, merged);
  }
  return out;
}

function mergeList(target: Json, patch: unknown[], field: string): Json {
  const key = mergeKeyOf(field);
  const replace = patch.find((p) => isPlainObject(p) && p.$patch === 'replace' && Object.keys(p).length === 1);
  if (replace) return copyOf(patch.filter((p) => p !== replace));
  if (!key || !Array.isArray(target) || !patch.every(isPlainObject)) return copyOf(patch);
  const out = [...target] as unknown[];
  for (const item of patch as Record<string, unknown>[]) {
    const idx = out.findIndex((t) => isPlainObject(t) && getOwn(t, key) === getOwn(item, key));
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) {
      out[idx] = strategicMergePatch(out[idx], item, '');
    } else {
      const { $patch: _ignored, ...rest } = item;
      out.push(copyOf(rest));
    }
  }
  return out;
}

/** One RFC 6902 JSON patch operation. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function parsePointer(pointer: unknown, index: number, field = 'path'): string[] {
  if (typeof pointer !== 'string') throw TugboatError.badRequest(`patch[${index}].${field}: Required value: a JSON pointer string`);
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw TugboatError.badRequest(`patch[${index}].${field}: invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** An RFC 6901 array index: `0` or digits without a leading zero (`01`, `-1`, `1.0` are not). */
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

function arrayIndex(key: string, index: number): number {
  if (!ARRAY_INDEX.test(key))
    throw TugboatError.badRequest(`patch[${index}]: invalid array index "${key}" (RFC 6901: digits without a leading zero)`);
  return Number(key);
}

/** The value at `path`, following own properties and valid indexes only; undefined if none. */
function getAt(doc: Json, path: string[], index: number): Json {
  let cur: unknown = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(seg, index)];
    else if (isPlainObject(cur)) cur = getOwn(cur, seg);
    else return undefined;
  }
  return cur;
}

function parentOf(doc: Json, path: string[], index: number, op: string): { parent: Record<string, unknown> | unknown[]; key: string } {
  const parent = getAt(doc, path.slice(0, -1), index);
  if (!isPlainObject(parent) && !Array.isArray(parent)) {
    throw TugboatError.badRequest(`patch[${index}]: ${op} operation does not apply: doc is missing path: "/${path.join('/')}"`);
  }
  return { parent, key: path[path.length - 1] };
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** RFC 6902 JSON patch. Fails BadRequest naming the failing operation; the input is not changed. */
export function jsonPatch(target: Json, ops: JsonPatchOperation[]): Json {
  if (!Array.isArray(ops)) throw TugboatError.badRequest('a JSON patch must be an array of operations');
  let doc = copyOf(target);
  ops.forEach((op, i) => {
    if (!isPlainObject(op))
      throw TugboatError.badRequest(
        `patch[${i}]: an operation must be an object with "op" and "path", got ${op === null ? 'null' : typeof op}`,
      );
    if (typeof op.op !== 'string' || !OPS.has(op.op)) {
      throw TugboatError.badRequest(
        `patch[${i}].op: Unsupported value: ${JSON.stringify(op.op ?? null)}: supported values: "add", "remove", "replace", "move", "copy", "test"`,
      );
    }
    const path = parsePointer(op.path, i);
    if ((op.op === 'add' || op.op === 'replace' || op.op === 'test') && !hasOwn(op, 'value')) {
      throw TugboatError.badRequest(`patch[${i}].value: Required value: the ${op.op} operation needs a value`);
    }
    const remove = (p: string[], name: string): unknown => {
      const { parent, key } = parentOf(doc, p, i, name);
      if (Array.isArray(parent)) {
        const idx = arrayIndex(key, i);
        if (idx >= parent.length) throw TugboatError.badRequest(`patch[${i}]: ${name} operation does not apply: index ${key} out of range`);
        return parent.splice(idx, 1)[0];
      }
      if (!hasOwn(parent, key))
        throw TugboatError.badRequest(`patch[${i}]: ${name} operation does not apply: doc is missing key: "/${p.join('/')}"`);
      const v = parent[key];
      delete parent[key];
      return v;
    };
    const add = (p: string[], value: unknown, name: string): void => {
      if (p.length === 0) {
        doc = copyOf(value);
        return;
      }
      const { parent, key } = parentOf(doc, p, i, name);
      if (Array.isArray(parent)) {
        const idx = key === '-' ? parent.length : arrayIndex(key, i);
        if (idx > parent.length) throw TugboatError.badRequest(`patch[${i}]: ${name} operation does not apply: index ${key} out of range`);
        parent.splice(idx, 0, copyOf(value));
      } else {
        setOwn(parent, key, copyOf(value));
      }
    };
    switch (op.op) {
      case 'add':
        add(path, op.value, 'add');
        break;
      case 'remove':
        remove(path, 'remove');
        break;
      case 'replace':
        remove(path, 'replace');
        add(path, op.value, 'replace');
        break;
      case 'move': {
        const v = remove(parsePointer(op.from, i, 'from'), 'move');
        add(path, v, 'move');
        break;
      }
      case 'copy': {
        const v = getAt(doc, parsePointer(op.from, i, 'from'), i);
        if (v === undefined)
          throw TugboatError.badRequest(`patch[${i}]: copy operation does not apply: doc is missing from path: "${String(op.from)}"`);
        add(path, v, 'copy');
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(doc, path, i)) !== JSON.stringify(op.value)) {
          throw TugboatError.badRequest(`patch[${i}]: test failed at ${op.path}`);
        }
        break;
    }
  });
  return doc;
}

/** Applies a patch of the given type to a plain (unfrozen) object. */
export function applyPatch(target: Json, patch: unknown, type: PatchType): Json {
  switch (type) {
    case 'merge':
      return mergePatch(target, patch);
    case 'strategic':
      return strategicMergePatch(target, patch);
    case 'json':
      return jsonPatch(target, patch as JsonPatchOperation[]);
    default:
      throw TugboatError.badRequest(`unsupported patch type "${String(type)}"`);
  }
}
