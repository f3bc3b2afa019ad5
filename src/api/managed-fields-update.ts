/**
 * The `Update` entries of metadata.managedFields, as kube-apiserver's field manager records them
 * for create, update and the non-apply patches: the writing manager comes to own every field the
 * write added or changed (a create: every field of the object, defaults included), the other
 * managers lose those fields (an update always forces), and everyone loses the fields it removed.
 * A later server-side apply that changes such a field conflicts with the updater.
 */
import { writableMeta, type KubeObject } from '../model/types.js';
import { apiVersionOf, type ResourceType } from '../model/resource-type.js';
import { rfc3339 } from '../clock/time-format.js';
import { fromFieldsV1, sameManager, sortManagedFields, splitPath, toFieldsV1, type ManagedFieldsEntry } from './managed-fields.js';
import { fieldDiff, fieldsTreeOf } from './field-diff.js';

/** Who writes, and through which subresource. */
export interface UpdateManager {
  manager: string;
  /** The apiVersion of the kind written (the entry's apiVersion). */
  apiVersion: string;
  /** `status` or `scale`; absent for the main resource. */
  subresource?: 'status' | 'scale';
  /** RFC 3339 time of the write, seconds precision. */
  time: string;
  /** Whether the kind has a status subresource (its status is then not owned through the main resource). */
  hasStatus: boolean;
}

/** The metadata no manager owns (kube-apiserver strips them before it compares objects). */
const UNOWNED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
]);

/** The part of an object a write through `subresource` can own. */
function ownablePart(obj: KubeObject | undefined, who: UpdateManager): Record<string, unknown> {
  if (!obj) return {};
  const { apiVersion: _a, kind: _k, metadata, status, ...rest } = obj as KubeObject & Record<string, unknown>;
  if (who.subresource === 'status') return status === undefined ? {} : { status };
  if (who.subresource === 'scale') {
    const replicas = (rest.spec as { replicas?: unknown } | undefined)?.replicas;
    return replicas === undefined ? {} : { spec: { replicas } };
  }
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata ?? {})) if (!UNOWNED_META.has(k)) meta[k] = v;
  return {
    ...rest,
    ...(Object.keys(meta).length ? { metadata: meta } : {}),
    ...(!who.hasStatus && status !== undefined ? { status } : {}),
  };
}

/** Whether a FieldsV1 tree holds the leaf or subtree at a path (its segments). */
function treeHas(tree: Record<string, unknown>, segments: readonly string[]): boolean {
  let node: unknown = tree;
  for (const seg of segments) {
    if (typeof node !== 'object' || node === null || !(seg in node)) return false;
    node = (node as Record<string, unknown>)[seg];
  }
  return true;
}

/** Field paths joined, and split into segments once (every entry of a write is checked against them). */
interface SplitPaths {
  joined: Set<string>;
  segments: string[][];
}

function split(paths: Set<string>): SplitPaths {
  return { joined: paths, segments: [...paths].map(splitPath) };
}

/**
 * The writer's own tree after the write: it loses what was removed and gains what changed. Only
 * the changed paths are walked (copying the nodes on them: stored trees are frozen) unless a
 * removal touches the tree, which goes through the field set (a node left empty is a leaf).
 */
function ownedAfter(tree: Record<string, unknown>, changed: SplitPaths, removed: SplitPaths): Record<string, unknown> {
  if (removed.segments.some((path) => treeHas(tree, path))) {
    const set = fromFieldsV1(tree);
    for (const path of removed.joined) set.delete(path);
    for (const path of changed.joined) set.add(path);
    return toFieldsV1(set);
  }
  const root: Record<string, any> = { ...tree };
  const copied = new Set<object>([root]);
  for (const segments of changed.segments) {
    let node = root;
    for (const seg of segments) {
      const child = node[seg];
      if (child && copied.has(child)) node = child;
      else {
        const fresh = child ? { ...child } : {};
        copied.add(fresh);
        node[seg] = fresh;
        node = fresh;
      }
    }
  }
  return root;
}

/**
 * The managedFields after a write of `next` over `old` (undefined for a create) by `who`,
 * starting from `entries` (the stored object's, or the ones the request gave). Unchanged when the
 * write changed nothing `who` could own.
 */
export function managedFieldsAfterUpdate(
  entries: readonly ManagedFieldsEntry[],
  old: KubeObject | undefined,
  next: KubeObject,
  who: UpdateManager,
): ManagedFieldsEntry[] {
  const self = { manager: who.manager, operation: 'Update' as const, subresource: who.subresource };
  if (!old && !entries.length) {
    // A create: the writer owns every field, and nobody else owns any.
    const fieldsV1 = fieldsTreeOf(ownablePart(next, who));
    if (!Object.keys(fieldsV1).length) return [];
    const entry = { ...self, apiVersion: who.apiVersion, time: who.time, fieldsType: 'FieldsV1', fieldsV1 } as ManagedFieldsEntry;
    if (!who.subresource) delete entry.subresource;
    return [entry];
  }
  const diff = fieldDiff(ownablePart(old, who), ownablePart(next, who));
  if (!diff.changed.size && !diff.removed.size) return [...entries];
  const changed = split(diff.changed);
  const removed = split(diff.removed);

  const out: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const entry of entries) {
    if (sameManager(entry, self)) {
      mine = entry;
      continue;
    }
    // Another manager's entry is rebuilt only when the write took or removed one of its fields.
    const tree = entry.fieldsV1 as Record<string, unknown>;
    const touched = (path: readonly string[]) => treeHas(tree, path);
    if (!changed.segments.some(touched) && !removed.segments.some(touched)) {
      out.push(entry);
      continue;
    }
    const set = fromFieldsV1(entry.fieldsV1);
    for (const path of removed.joined) set.delete(path);
    for (const path of changed.joined) set.delete(path);
    if (set.size) out.push({ ...entry, fieldsV1: toFieldsV1(set) });
  }
  if (!mine) {
    mine = { ...self, apiVersion: who.apiVersion, fieldsType: 'FieldsV1', fieldsV1: {} } as ManagedFieldsEntry;
    if (!who.subresource) delete mine.subresource;
  }
  const fieldsV1 = ownedAfter(mine.fieldsV1 as Record<string, unknown>, changed, removed);
  if (Object.keys(fieldsV1).length) out.push({ ...mine, apiVersion: who.apiVersion, time: who.time, fieldsV1 });
  return sortManagedFields(out);
}

/**
 * Sets `next`'s managedFields for a write over `old` (undefined for a create), as kube-apiserver
 * does: a write that sends none keeps the stored ones, an empty list clears them, and a write
 * with a field `manager` records its Update entry ({@link managedFieldsAfterUpdate}). Without a
 * manager (in-process components) no entry is recorded.
 */
export function recordManagedFields(
  type: ResourceType,
  old: KubeObject | undefined,
  next: KubeObject,
  manager: string | undefined,
  subresource: 'status' | 'scale' | undefined,
  now: Date,
): void {
  if (Object.isFrozen(next.metadata)) next.metadata = { ...next.metadata };
  const meta = writableMeta(next);
  const given = meta.managedFields as ManagedFieldsEntry[] | undefined;
  if (Array.isArray(given) && given.length === 0) {
    delete meta.managedFields;
    return;
  }
  const base = given ?? (old?.metadata.managedFields as ManagedFieldsEntry[] | undefined);
  if (!manager) {
    if (base) meta.managedFields = base;
    return;
  }
  const who = { manager, apiVersion: apiVersionOf(type), subresource, time: rfc3339(now), hasStatus: !!type.hasStatus };
  const entries = managedFieldsAfterUpdate(base ?? [], old, next, who);
  if (entries.length) meta.managedFields = entries;
  else delete meta.managedFields;
}
