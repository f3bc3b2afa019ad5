/**
 * A Deployment's revision history in annotations (Kubernetes' deployment/util): each
 * ReplicaSet carries its revision number, the Deployment carries its current one, and a
 * ReplicaSet whose template comes back keeps its earlier numbers in revision-history.
 */
import type { ReplicaSet } from '../../model/types.js';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from '../../model/well-known.js';

/** The revision annotation of an object as a number (0 when absent or unparsable). */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } } | undefined): number {
  const v = obj?.metadata.annotations?.[REVISION_ANNOTATION];
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

/** The highest revision among `sets` (0 when none). */
export function maxRevision(sets: readonly { metadata: { annotations?: Record<string, string> } }[]): number {
  return sets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/**
 * The annotations the new ReplicaSet must carry to become revision `next`: an RS that comes
 * back with an older revision appends that revision to revision-history. Undefined when its
 * revision is already `next` or later (nothing to write).
 */
export function revisionAnnotations(rs: ReplicaSet, next: number): Record<string, string> | undefined {
  const current = revisionOf(rs);
  if (current >= next) return undefined;
  const annotations: Record<string, string> = { ...(rs.metadata.annotations ?? {}), [REVISION_ANNOTATION]: String(next) };
  if (current > 0) {
    const prior = rs.metadata.annotations?.[REVISION_HISTORY_ANNOTATION];
    annotations[REVISION_HISTORY_ANNOTATION] = prior ? `${prior},${current}` : String(current);
  }
  return annotations;
}
