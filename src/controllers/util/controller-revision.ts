/**
 * Revision history with ControllerRevisions (Kubernetes' controller/history), as StatefulSets
 * and DaemonSets keep it: each distinct pod template is one ControllerRevision owned by the
 * workload, numbered in order, named by a hash of its data, and found again by equal data.
 */
import type { ControllerRevision, KubeObject, core } from '../../model/types.js';
import { cloneJson } from '../../model/clone.js';
import { jsonEqual, stableStringify } from '../../model/json.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../../model/well-known.js';
import { timeMs } from './time.js';
import { controllerRef } from './controller-ref.js';
import { Fnv32, safeEncode } from './hash.js';

/** A revision's data: the strategic-merge patch that restores its template, as Kubernetes stores it. */
export interface RevisionData {
  spec: { template: core.PodTemplateSpec & { $patch: 'replace' } };
}

/**
 * The hash naming a revision (Kubernetes' HashControllerRevision): FNV-1 (32 bits) of its data
 * (canonical JSON) and, when given, the collision `probe` in decimal; SafeEncodeString'd.
 */
export function hashControllerRevision(revision: Pick<ControllerRevision, 'data'>, probe?: number | null): string {
  const hasher = new Fnv32(false);
  if (revision.data !== undefined) hasher.write(stableStringify(revision.data));
  if (probe !== undefined && probe !== null) hasher.write(String(probe));
  return safeEncode(String(hasher.sum32()));
}

/** `prefix-hash`, the prefix cut to 223 characters so the name stays a valid 253-character name. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/**
 * A new ControllerRevision (not yet created) of `owner` recording `template` as `revision`
 * (Kubernetes' NewControllerRevision): the template's labels plus controller-revision-hash,
 * controlled by `owner`, in its namespace, named `owner-hash`. Raise `collisionCount` (kept in
 * the owner's status) when that name is taken by a revision with other data.
 */
export function newControllerRevision(
  owner: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>,
  template: core.PodTemplateSpec | undefined,
  revision: number,
  collisionCount?: number | null,
): ControllerRevision {
  const data: RevisionData = { spec: { template: { ...cloneJson(template ?? {}), $patch: 'replace' } } };
  const hash = hashControllerRevision({ data }, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(owner.metadata.name ?? '', hash),
      ...(owner.metadata.namespace !== undefined ? { namespace: owner.metadata.namespace } : {}),
      labels: { ...(template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [controllerRef(owner)],
    },
    data,
    revision,
  };
}

/** The pod template a revision made by {@link newControllerRevision} records (a copy). */
export function templateOfRevision(revision: Pick<ControllerRevision, 'data'>): core.PodTemplateSpec | undefined {
  const t = (revision.data as Partial<RevisionData> | undefined)?.spec?.template;
  if (!t) return undefined;
  const { $patch: _, ...template } = cloneJson(t);
  return template;
}

/**
 * Kubernetes' byRevision order: by revision number, then creation time (older first), then
 * name. Returns a new array.
 */
export function sortRevisions<R extends Pick<ControllerRevision, 'revision' | 'metadata'>>(revisions: readonly R[]): R[] {
  return [...revisions].sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const ta = timeMs(a.metadata.creationTimestamp) ?? 0;
    const tb = timeMs(b.metadata.creationTimestamp) ?? 0;
    if (ta !== tb) return ta - tb;
    const na = a.metadata.name ?? '';
    const nb = b.metadata.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/** The revision number after the highest of `revisions` (1 when there are none): Kubernetes' NextRevision. */
export function nextRevision(revisions: readonly Pick<ControllerRevision, 'revision'>[]): number {
  let max = 0;
  for (const r of revisions) if (r.revision > max) max = r.revision;
  return max + 1;
}

/** Two revisions record the same state: equal data (Kubernetes' EqualRevision). */
export function equalRevision(a: Pick<ControllerRevision, 'data'> | undefined, b: Pick<ControllerRevision, 'data'> | undefined): boolean {
  if (!a || !b) return a === b;
  return jsonEqual(a.data, b.data);
}

/** The revisions whose data equals `needle`'s (Kubernetes' FindEqualRevisions), in their order. */
export function findEqualRevisions<R extends Pick<ControllerRevision, 'data'>>(
  revisions: readonly R[],
  needle: Pick<ControllerRevision, 'data'>,
): R[] {
  return revisions.filter((r) => equalRevision(r, needle));
}
