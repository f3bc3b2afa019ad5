/**
 * Server-side apply (`kubectl apply --server-side`, PATCH with application/apply-patch+yaml): the
 * applied configuration's fields are owned by its field manager in metadata.managedFields; a
 * field another manager owns with a different value is a conflict (409) unless `force`, which
 * takes it over; fields the manager applied before and no longer applies are removed when no one
 * else owns them.
 *
 * Writes by create, update and the other patch types record Update entries (api/managed-fields-update.ts)
 * when they name a field manager (every HTTP write does: the User-Agent's first segment by default),
 * so an apply that changes a field an updater set conflicts with that updater.
 */
import type { KubeObject } from '../model/types.js';
import type { ResourceType } from '../model/resource-type.js';
import { apiVersionOf } from '../model/resource-type.js';
import { TugboatError } from '../model/errors.js';
import { rfc3339 } from '../clock/time-format.js';
import type { ResourceClient, WriteOptions } from '../client/types.js';
import { strategicMergePatch } from '../api/patch.js';
import {
  describePath,
  fieldSetOf,
  fromFieldsV1,
  managerLabel,
  removeAt,
  sameManager,
  sortManagedFields,
  splitPath,
  toFieldsV1,
  valueAt,
  type ManagedFieldsEntry,
} from '../api/managed-fields.js';

export type { ManagedFieldsEntry } from '../api/managed-fields.js';

/** Options of {@link serverSideApply}. */
export interface ApplyRequestOptions extends WriteOptions {
  force: boolean;
  subresource?: string;
  /** When the apply happens (the cluster's clock): the time of its managedFields entry. */
  nowMs: number;
}

const IGNORED_META = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink', 'deletionTimestamp'];

function appliedFieldsOf(applied: Record<string, any>, subresource?: string): Set<string> {
  const { apiVersion: _a, kind: _k, metadata = {}, status, ...rest } = applied;
  const meta = { ...metadata };
  for (const k of [...IGNORED_META, 'name', 'namespace']) delete meta[k];
  const considered = subresource === 'status' ? { status } : { ...rest, ...(Object.keys(meta).length ? { metadata: meta } : {}) };
  return fieldSetOf(considered);
}

/** Applies `body` as `options.fieldManager`; creates the object when it does not exist. */
export async function serverSideApply(
  client: ResourceClient,
  type: ResourceType,
  name: string,
  body: unknown,
  options: ApplyRequestOptions,
): Promise<{ object: KubeObject; created: boolean }> {
  const manager = options.fieldManager;
  if (!manager) {
    throw TugboatError.invalid({ kind: 'PatchOptions', group: 'meta.k8s.io' }, '', [
      { field: 'fieldManager', message: 'Required value: is required for apply patch', reason: 'FieldValueRequired' },
    ]);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw TugboatError.badRequest('an apply patch must be an object');
  const applied = body as Record<string, any>;
  if (applied.metadata?.name !== undefined && applied.metadata.name !== name) {
    throw TugboatError.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (applied.kind !== type.kind || applied.apiVersion !== apiVersionOf(type)) {
    throw TugboatError.badRequest(`apiVersion and kind of an apply patch must be "${apiVersionOf(type)}" and "${type.kind}"`);
  }
  const fields = appliedFieldsOf(applied, options.subresource);
  // The apply writes its own managedFields: no Update entry for it (the write carries no manager).
  const { force: _f, subresource, fieldManager: _m, nowMs, ...writeOptions } = options;
  const now = rfc3339(nowMs);
  const entryOf = (set: Set<string>): ManagedFieldsEntry => ({
    manager,
    operation: 'Apply',
    apiVersion: apiVersionOf(type),
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(set),
    ...(subresource ? { subresource } : {}),
  });
  const clean = structuredClone(applied);
  for (const k of IGNORED_META) delete clean.metadata?.[k];
  const live = await client.find(name);
  if (!live) {
    if (subresource) throw TugboatError.notFound({ kind: type.plural, group: type.group }, name);
    const created = await client.create(
      { ...clean, metadata: { ...clean.metadata, name, managedFields: [entryOf(fields)] } } as KubeObject,
      writeOptions,
    );
    return { object: created, created: true };
  }
  const entries = ((live.metadata.managedFields ?? []) as ManagedFieldsEntry[]).map((e) => ({ ...e, set: fromFieldsV1(e.fieldsV1) }));
  const mine = entries.find((e) => sameManager(e, { manager, operation: 'Apply', subresource }));
  const others = entries.filter((e) => e !== mine);

  // Conflicts: a field another manager owns, applied with a different value.
  const conflicts: { manager: string; field: string; path: string }[] = [];
  for (const joined of fields) {
    const path = splitPath(joined);
    if (path[path.length - 1] === '.') continue;
    const was = valueAt(live, path);
    const now = valueAt(applied, path);
    if (was.found && JSON.stringify(was.value) === JSON.stringify(now.value)) continue;
    for (const o of others) if (o.set.has(joined)) conflicts.push({ manager: managerLabel(o), field: describePath(path), path: joined });
  }
  if (conflicts.length && !options.force) {
    const message = conflictMessage(conflicts);
    const err = new TugboatError('Conflict', message, {
      kind: type.plural,
      group: type.group,
      name,
      causes: conflicts.map((c) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with ${c.manager}`,
        field: c.field,
      })),
    });
    throw err;
  }
  for (const c of conflicts) for (const o of others) o.set.delete(c.path);

  // Fields this manager applied before and applies no more: removed unless someone else owns them.
  const next = structuredClone(live) as Record<string, any>;
  for (const joined of mine?.set ?? []) {
    if (fields.has(joined) || others.some((o) => o.set.has(joined))) continue;
    removeAt(next, splitPath(joined));
  }
  const { metadata: appliedMeta = {}, ...appliedRest } = clean;
  const merged = strategicMergePatch(next, { ...appliedRest, metadata: appliedMeta }) as Record<string, any>;
  const managedFields = sortManagedFields([
    ...others.filter((o) => o.set.size > 0).map(({ set, ...e }) => ({ ...e, fieldsV1: toFieldsV1(set) })),
    entryOf(fields),
  ]);
  merged.metadata = { ...merged.metadata, managedFields, resourceVersion: live.metadata.resourceVersion };
  const object =
    subresource === 'status'
      ? await client.updateStatus(merged as KubeObject, writeOptions)
      : await client.update(merged as KubeObject, writeOptions);
  return { object, created: false };
}

/**
 * kube-apiserver's conflict message: `Apply failed with 1 conflict: conflict with "m" using v1: .a`
 * for one, and for several the fields grouped under each manager, managers sorted.
 */
function conflictMessage(conflicts: { manager: string; field: string }[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${conflicts[0].manager}: ${conflicts[0].field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((f) => `- ${f}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
