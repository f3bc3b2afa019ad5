/**
 * Revisions of a Deployment's ReplicaSets: rollback targets and which old ReplicaSets to clean
 * up (the numbering and history annotations are controllers/util/revision-annotations.ts).
 */
import type { Deployment, ReplicaSet } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { cloneJson } from '../../model/clone.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../model/well-known.js';
import { revisionOf } from '../util/revision-annotations.js';
import { type PodTemplate, rsReplicas } from './util.js';

/**
 * The pod template to roll back to: the RS of revision `toRevision`, or (when absent or 0) the
 * newest revision before the current one. The pod-template-hash label is removed. Throws a
 * TugboatError (NotFound) when there is no such revision. Use it to implement `rollout undo`.
 */
export function templateForRevision(sets: readonly ReplicaSet[], toRevision?: number): PodTemplate {
  if (toRevision !== undefined && (!Number.isInteger(toRevision) || toRevision < 0)) {
    throw TugboatError.invalid({ kind: 'Deployment' }, '', [
      { field: 'toRevision', message: `must be a non-negative integer, got ${toRevision}` },
    ]);
  }
  const byRev = [...sets].filter((rs) => revisionOf(rs) > 0).sort((a, b) => revisionOf(b) - revisionOf(a));
  let target: ReplicaSet | undefined;
  if (!toRevision) {
    target = byRev[1];
    if (!target) throw new TugboatError('NotFound', 'no rollout history found: no previous revision to roll back to');
  } else {
    target = byRev.find((rs) => revisionOf(rs) === toRevision);
    if (!target) throw new TugboatError('NotFound', `unable to find specified revision ${toRevision} in history`);
  }
  const template = cloneJson(target.spec?.template ?? {}) as PodTemplate;
  if (template.metadata?.labels) {
    const labels = { ...template.metadata.labels };
    delete labels[POD_TEMPLATE_HASH_LABEL];
    template.metadata = { ...template.metadata, labels };
  }
  return template;
}

/**
 * Old RSs to delete under revisionHistoryLimit: the lowest revisions beyond the limit that are
 * scaled to 0, have no pods, are not being deleted and whose status is current.
 */
export function replicaSetsToCleanUp(d: Deployment, oldRSs: readonly ReplicaSet[]): ReplicaSet[] {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return [];
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return [];
  const sorted = [...cleanable].sort(
    (a, b) => revisionOf(a) - revisionOf(b) || (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
  );
  const out: ReplicaSet[] = [];
  for (const rs of sorted.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0) continue;
    if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    out.push(rs);
  }
  return out;
}
