import { TugboatError } from '../model/errors.js';
import type { PatchType } from '../client/types.js';

type Json = unknown;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, everything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
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
  if (!isPlainObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$retainKeys') || k.startsWith('$setElementOrder') || k === '$patch') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const list = k.slice('$deleteFromPrimitiveList/'.length);
      const drop = new Set(Array.isArray(v) ? v : []);
      if (Array.isArray(out[list])) out[list] = (out[list] as unknown[]).filter((x) => !drop.has(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const merged = strategicMergePatch(out[k], v, k);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

function mergeList(target: Json, patch: unknown[], field: string): Json {
  const key = MERGE_KEYS[field];
  const replace = patch.find((p) => isPlainObject(p) && p.$patch === 'replace' && Object.keys(p).length === 1);
  if (replace) return structuredClone(patch.filter((p) => p !== replace));
  if (!key || !Array.isArray(target) || !patch.every(isPlainObject)) return structuredClone(patch);
  const out = [...target] as unknown[];
  for (const item of patch as Record<string, unknown>[]) {
    const idx = out.findIndex((t) => isPlainObject(t) && t[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) {
      out[idx] = strategicMergePatch(out[idx], item, '');
    } else {
      const { $patch: _ignored, ...rest } = item;
      out.push(structuredClone(rest));
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

function parsePointer(pointer: string, index: number): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw TugboatError.badRequest(`patch[${index}].path: invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: Json, path: string[]): Json {
  let cur: unknown = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isPlainObject(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

function parentOf(doc: Json, path: string[], index: number): { parent: Record<string, unknown> | unknown[]; key: string } {
  const parent = getAt(doc, path.slice(0, -1));
  if (!isPlainObject(parent) && !Array.isArray(parent)) {
    throw TugboatError.badRequest(`patch[${index}].path: /${path.join('/')} has no parent object`);
  }
  return { parent, key: path[path.length - 1] };
}

/** RFC 6902 JSON patch. Fails BadRequest naming the failing operation; the input is not changed. */
export function jsonPatch(target: Json, ops: JsonPatchOperation[]): Json {
  if (!Array.isArray(ops)) throw TugboatError.badRequest('a JSON patch must be an array of operations');
  let doc = structuredClone(target);
  ops.forEach((op, i) => {
    const path = parsePointer(op.path, i);
    const remove = (p: string[]): unknown => {
      const { parent, key } = parentOf(doc, p, i);
      if (Array.isArray(parent)) {
        const idx = Number(key);
        if (!(idx >= 0 && idx < parent.length)) throw TugboatError.badRequest(`patch[${i}]: index ${key} out of range`);
        return parent.splice(idx, 1)[0];
      }
      if (!(key in parent)) throw TugboatError.badRequest(`patch[${i}]: path /${p.join('/')} does not exist`);
      const v = parent[key];
      delete parent[key];
      return v;
    };
    const add = (p: string[], value: unknown): void => {
      if (p.length === 0) {
        doc = structuredClone(value);
        return;
      }
      const { parent, key } = parentOf(doc, p, i);
      if (Array.isArray(parent)) {
        const idx = key === '-' ? parent.length : Number(key);
        if (!(idx >= 0 && idx <= parent.length)) throw TugboatError.badRequest(`patch[${i}]: index ${key} out of range`);
        parent.splice(idx, 0, structuredClone(value));
      } else {
        parent[key] = structuredClone(value);
      }
    };
    switch (op.op) {
      case 'add':
        add(path, op.value);
        break;
      case 'remove':
        remove(path);
        break;
      case 'replace':
        remove(path);
        add(path, op.value);
        break;
      case 'move': {
        const v = remove(parsePointer(op.from ?? '', i));
        add(path, v);
        break;
      }
      case 'copy':
        add(path, getAt(doc, parsePointer(op.from ?? '', i)));
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value)) {
          throw TugboatError.badRequest(`patch[${i}]: test failed at ${op.path}`);
        }
        break;
      default:
        throw TugboatError.badRequest(`patch[${i}].op: unsupported operation "${(op as { op: string }).op}"`);
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
