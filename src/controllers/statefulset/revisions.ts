/**
 * A StatefulSet's history as ControllerRevisions (getStatefulSetRevisions, newRevision,
 * truncateHistory): the update revision is the one recording the set's template (the latest,
 * or an older one renumbered to the next revision on a rollback, or a new one); the current
 * revision is the one status.currentRevision names (the update revision at first); old
 * revisions beyond revisionHistoryLimit that no pod uses are deleted, oldest first. Pure.
 */
import type { ControllerRevision, Pod, StatefulSet } from '../../model/types.js';
import { equalRevision, newControllerRevision, nextRevision, sortRevisions } from '../util/controller-revision.js';
import { podRevision } from './identity.js';
import { STATEFULSET } from './names.js';

/** The revision recording the set's current template as number `revision` (newRevision): the set's annotations too. */
export function newRevision(set: StatefulSet, revision: number, collisionCount?: number): ControllerRevision {
  const cr = newControllerRevision({ ...STATEFULSET, metadata: set.metadata }, set.spec?.template, revision, collisionCount);
  return set.metadata.annotations ? { ...cr, metadata: { ...cr.metadata, annotations: { ...set.metadata.annotations } } } : cr;
}

/** How the update revision is found (getStatefulSetRevisions' three cases). */
export type UpdateRevisionPlan =
  | { action: 'keep'; revision: ControllerRevision }
  | { action: 'renumber'; revision: ControllerRevision; to: number }
  | { action: 'create'; revision: ControllerRevision };

/** Decides the update revision among the set's (claimed) revisions. */
export function planUpdateRevision(set: StatefulSet, revisions: readonly ControllerRevision[]): UpdateRevisionPlan {
  const sorted = sortRevisions(revisions);
  const next = nextRevision(sorted);
  const wanted = newRevision(set, next, set.status?.collisionCount);
  const equal = sorted.filter((r) => equalRevision(r, wanted));
  const last = sorted[sorted.length - 1];
  if (equal.length > 0 && equalRevision(last, equal[equal.length - 1])) return { action: 'keep', revision: last };
  if (equal.length > 0) return { action: 'renumber', revision: equal[equal.length - 1], to: next };
  return { action: 'create', revision: wanted };
}

/** The current revision: the one status.currentRevision names, else the update revision. */
export function currentRevisionOf(
  set: StatefulSet,
  revisions: readonly ControllerRevision[],
  update: ControllerRevision,
): ControllerRevision {
  return revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
}

/**
 * The revisions to delete so at most revisionHistoryLimit non-live ones remain (truncateHistory):
 * live ones (current, update, any a pod was made from) are kept; of the rest the oldest go.
 */
export function revisionsToTruncate(
  set: StatefulSet,
  revisions: readonly ControllerRevision[],
  pods: readonly Pod[],
  live: readonly (string | undefined)[],
): ControllerRevision[] {
  const keep = new Set<string>(live.filter((n): n is string => !!n));
  for (const p of pods) {
    const r = podRevision(p);
    if (r) keep.add(r);
  }
  const history = sortRevisions(revisions).filter((r) => !keep.has(r.metadata.name ?? ''));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  return history.length <= limit ? [] : history.slice(0, history.length - limit);
}
