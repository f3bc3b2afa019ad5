/**
 * Pure decisions of the node lifecycle controller: which taints a node's Ready condition calls
 * for, and when a pod on a NoExecute-tainted node must be evicted.
 */
import type { core } from '../../model/types.js';
import { TAINT_NODE_NOT_READY as TAINT_NOT_READY, TAINT_NODE_UNREACHABLE as TAINT_UNREACHABLE } from '../../model/well-known.js';

/**
 * The node's taints updated for its Ready status: not-ready (False) or unreachable (Unknown)
 * with NoSchedule and NoExecute, none of them when Ready is True or absent. Other taints and
 * the timeAdded of kept taints are preserved. Returns the same array when nothing changes.
 */
export function desiredTaints(taints: readonly core.Taint[] | undefined, ready: string | undefined, nowIso: string): core.Taint[] {
  const current = [...(taints ?? [])];
  const key = ready === 'False' ? TAINT_NOT_READY : ready === 'Unknown' ? TAINT_UNREACHABLE : undefined;
  const managed = (t: core.Taint): boolean =>
    (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE) && (t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  const keep = current.filter((t) => !managed(t) || t.key === key);
  if (key) {
    for (const effect of ['NoSchedule', 'NoExecute'] as const) {
      if (!keep.some((t) => t.key === key && t.effect === effect))
        keep.push(effect === 'NoExecute' ? { key, effect, timeAdded: nowIso } : { key, effect });
    }
  }
  const same = keep.length === current.length && keep.every((t, i) => t === current[i]);
  return same ? (taints as core.Taint[]) : keep;
}

/** True when `tol` tolerates `taint` (Kubernetes' ToleratesTaint). */
export function tolerates(tol: core.Toleration, taint: core.Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  if (!tol.key && tol.operator !== 'Exists') return false;
  if (tol.operator === 'Exists') return true;
  return (tol.value ?? '') === (taint.value ?? '');
}

/**
 * When a pod must leave a node with these taints (ms since the epoch): now when a NoExecute
 * taint is not tolerated; taint.timeAdded + the smallest tolerationSeconds of the tolerations
 * used; undefined when the tolerations have no limit (or there is no NoExecute taint).
 */
export function evictionTimeMs(
  taints: readonly core.Taint[] | undefined,
  tolerations: readonly core.Toleration[] | undefined,
  nowMs: number,
): number | undefined {
  let at: number | undefined;
  for (const taint of taints ?? []) {
    if (taint.effect !== 'NoExecute') continue;
    const used = (tolerations ?? []).filter((t) => (!t.effect || t.effect === 'NoExecute') && tolerates(t, taint));
    if (used.length === 0) return nowMs;
    const seconds = used.map((t) => t.tolerationSeconds).filter((s): s is number => typeof s === 'number');
    if (seconds.length === 0) continue;
    const min = Math.min(...seconds);
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : nowMs;
    const t = min <= 0 ? nowMs : (Number.isNaN(added) ? nowMs : added) + min * 1000;
    at = at === undefined ? t : Math.min(at, t);
  }
  return at;
}
