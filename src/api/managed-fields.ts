/**
 * Field sets, as server-side apply tracks them in metadata.managedFields (FieldsV1): the leaf
 * paths an object sets. A path is a list of segments: `f:name` for a field, `k:{"name":"web"}`
 * for a list element found by its merge key, `.` for the element itself. Lists without a merge
 * key are atomic: the list is one leaf.
 */
import { MERGE_KEYS } from './patch.js';

/** One entry of metadata.managedFields. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/**
 * A manager as conflict messages name it (kube-apiserver's printManager): `"kubectl"` for an
 * applier, `"kubectl-edit" using apps/v1` for an updater, `with subresource "scale"` between.
 */
export function managerLabel(entry: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const name = `"${entry.manager}"${entry.subresource ? ` with subresource "${entry.subresource}"` : ''}`;
  return entry.operation === 'Update' ? `${name} using ${entry.apiVersion}` : name;
}

/** Whether two entries are the same manager: name, operation and subresource. */
export function sameManager(a: ManagedFieldsEntry, b: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'subresource'>): boolean {
  return a.manager === b.manager && a.operation === b.operation && (a.subresource ?? '') === (b.subresource ?? '');
}

/** Entries in kube-apiserver's order: appliers first, then by time, manager, apiVersion and subresource. */
export function sortManagedFields<T extends ManagedFieldsEntry>(entries: T[]): T[] {
  const cmp = (a = '', b = ''): number => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      cmp(p.time, q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource, q.subresource),
  );
}

/** One leaf path. */
export type FieldPath = readonly string[];

const SEP = '\u0000';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaf paths an applied configuration sets (keys of the returned set are joined paths). */
export function fieldSetOf(obj: unknown, path: string[] = [], field = '', out = new Set<string>()): Set<string> {
  if (isObject(obj)) {
    const entries = Object.entries(obj);
    if (!entries.length && path.length) out.add(path.join(SEP));
    for (const [k, v] of entries) fieldSetOf(v, [...path, `f:${k}`], k, out);
    return out;
  }
  const key = MERGE_KEYS[field];
  if (Array.isArray(obj) && key && obj.every((e) => isObject(e) && e[key] !== undefined)) {
    for (const e of obj as Record<string, unknown>[]) {
      const seg = `k:${JSON.stringify({ [key]: e[key] })}`;
      out.add([...path, seg, '.'].join(SEP));
      for (const [k, v] of Object.entries(e)) fieldSetOf(v, [...path, seg, `f:${k}`], k, out);
    }
    return out;
  }
  if (path.length) out.add(path.join(SEP));
  return out;
}

/** A joined path as its segments. */
export function splitPath(joined: string): string[] {
  return joined.split(SEP);
}

/** A field set as a FieldsV1 tree. */
export function toFieldsV1(set: Iterable<string>): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const joined of set) {
    let node = root;
    for (const seg of splitPath(joined)) node = node[seg] ??= {};
  }
  return root;
}

/** A FieldsV1 tree as a field set. */
export function fromFieldsV1(tree: unknown, path: string[] = [], out = new Set<string>()): Set<string> {
  if (!isObject(tree)) return out;
  const keys = Object.keys(tree);
  if (!keys.length && path.length) out.add(path.join(SEP));
  for (const k of keys) fromFieldsV1(tree[k], [...path, k], out);
  return out;
}

/** The value at a path of an object, and whether it is there. */
export function valueAt(obj: unknown, path: FieldPath): { found: boolean; value?: unknown } {
  let cur: unknown = obj;
  for (const seg of path) {
    if (seg === '.') continue;
    if (seg.startsWith('f:')) {
      if (!isObject(cur) || !(seg.slice(2) in cur)) return { found: false };
      cur = cur[seg.slice(2)];
    } else if (seg.startsWith('k:')) {
      const want = JSON.parse(seg.slice(2)) as Record<string, unknown>;
      if (!Array.isArray(cur)) return { found: false };
      cur = cur.find((e) => isObject(e) && Object.entries(want).every(([k, v]) => e[k] === v));
      if (cur === undefined) return { found: false };
    } else return { found: false };
  }
  return { found: true, value: cur };
}

/** Removes the value at a path (a field of an object, or a list element), if there. */
export function removeAt(obj: unknown, path: FieldPath): void {
  const segs = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  if (!segs.length) return;
  const parent = valueAt(obj, segs.slice(0, -1));
  if (!parent.found) return;
  const last = segs[segs.length - 1];
  if (last.startsWith('f:') && isObject(parent.value)) delete parent.value[last.slice(2)];
  else if (last.startsWith('k:') && Array.isArray(parent.value)) {
    const want = JSON.parse(last.slice(2)) as Record<string, unknown>;
    const idx = parent.value.findIndex((e) => isObject(e) && Object.entries(want).every(([k, v]) => e[k] === v));
    if (idx >= 0) parent.value.splice(idx, 1);
  }
}

/** `.spec.replicas` for a path, as Kubernetes names fields in conflicts. */
export function describePath(path: FieldPath): string {
  return path
    .filter((s) => s !== '.')
    .map((s) =>
      s.startsWith('f:')
        ? `.${s.slice(2)}`
        : `[${s
            .slice(2)
            .replace(/^\{"|\}$/g, '')
            .replace('":', '=')}]`,
    )
    .join('');
}
