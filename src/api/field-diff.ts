/**
 * What a write changed, as leaf paths of field sets (managed-fields.ts's paths): the leaves whose
 * value is new or different, and the leaves that are gone. Equal references are the same subtree
 * (stored objects are frozen and a write shares what it did not change), so they are skipped
 * without a walk; objects on both sides are compared key by key; anything else (lists, scalars,
 * an object against something else) by its leaves and their values as JSON.
 */
import { MERGE_KEYS } from './patch.js';

const SEP = '\u0000';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The changed and removed leaf paths (joined as managed-fields.ts joins them). */
export interface FieldDiff {
  changed: Set<string>;
  removed: Set<string>;
}

/**
 * Each leaf path of `value` at `path` with its value as JSON ('' for a list element's own `.`
 * path), in the order and with the paths of managed-fields.ts's fieldSetOf; a repeated path
 * keeps its first value.
 */
function leafValues(value: unknown, path: string, field: string, out: Map<string, string>, withValues = true): void {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (!keys.length && path) {
      if (!out.has(path)) out.set(path, '{}');
      return;
    }
    for (const k of keys) leafValues(value[k], join(path, `f:${k}`), k, out, withValues);
    return;
  }
  const key = MERGE_KEYS[field];
  if (Array.isArray(value) && key && value.every((e) => isObject(e) && e[key] !== undefined)) {
    for (const e of value as Record<string, unknown>[]) {
      const element = join(path, `k:${JSON.stringify({ [key]: e[key] })}`);
      const self = join(element, '.');
      if (!out.has(self)) out.set(self, '');
      for (const k of Object.keys(e)) leafValues(e[k], join(element, `f:${k}`), k, out, withValues);
    }
    return;
  }
  if (path && !out.has(path)) out.set(path, withValues ? JSON.stringify(value) : '');
}

const join = (path: string, seg: string): string => (path ? `${path}${SEP}${seg}` : seg);

function diffAt(before: unknown, after: unknown, path: string, field: string, out: FieldDiff): void {
  if (before === after) return;
  if (isObject(before) && isObject(after)) {
    const beforeKeys = Object.keys(before);
    const afterKeys = Object.keys(after);
    // A non-empty object's leaves are its fields' leaves; an empty one is a leaf itself.
    if (beforeKeys.length && afterKeys.length) {
      for (const k of afterKeys) diffAt(k in before ? before[k] : undefined, after[k], join(path, `f:${k}`), k, out);
      for (const k of beforeKeys) if (!(k in after)) diffAt(before[k], undefined, join(path, `f:${k}`), k, out);
      return;
    }
  }
  const was = new Map<string, string>();
  const now = new Map<string, string>();
  // A side alone (a field added or removed whole) needs its paths only, not their values.
  const both = before !== undefined && after !== undefined;
  if (before !== undefined) leafValues(before, path, field, was, both);
  if (after !== undefined) leafValues(after, path, field, now, both);
  for (const [p, v] of now) if (was.get(p) !== v) out.changed.add(p);
  for (const p of was.keys()) if (!now.has(p)) out.removed.add(p);
}

/**
 * The FieldsV1 tree of every leaf of `value` (what toFieldsV1 makes of fieldSetOf's paths), built
 * in one walk: a create's entry.
 */
export function fieldsTreeOf(value: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  treeInto(value, '', root);
  return root;
}

/** Adds the leaves of `value` below `node`; false when it has none (an empty merge-keyed list). */
function treeInto(value: unknown, field: string, node: Record<string, any>): boolean {
  if (isObject(value)) {
    for (const k of Object.keys(value)) {
      const child = {};
      if (treeInto(value[k], k, child)) node[`f:${k}`] = child;
    }
    return true;
  }
  const key = MERGE_KEYS[field];
  if (Array.isArray(value) && key && value.every((e) => isObject(e) && e[key] !== undefined)) {
    for (const e of value as Record<string, unknown>[]) {
      const element: Record<string, any> = (node[`k:${JSON.stringify({ [key]: e[key] })}`] ??= { '.': {} });
      for (const k of Object.keys(e)) {
        const child = {};
        if (treeInto(e[k], k, child)) element[`f:${k}`] = child;
      }
    }
    return value.length > 0;
  }
  return true;
}

/** The leaves `after` sets anew or differently from `before`, and those it no longer has. */
export function fieldDiff(before: Record<string, unknown>, after: Record<string, unknown>): FieldDiff {
  const out: FieldDiff = { changed: new Set(), removed: new Set() };
  diffAt(before, after, '', '', out);
  return out;
}
