/**
 * Which pods a ReplicaSet deletes first when it scales down: Kubernetes' ActivePodsWithRanks order.
 */
import type { Pod } from '../../model/types.js';
import { isPodReady, maxContainerRestarts, podReadySinceMs } from '../util/pods.js';
import { timeMs } from '../util/time.js';
import { POD_DELETION_COST_ANNOTATION as POD_DELETION_COST } from '../../model/well-known.js';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST];
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

/** Kubernetes' afterOrZero: an empty time sorts first, then the later time. */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

/**
 * Negative when `a` should be deleted before `b`. Rules in order: unassigned before assigned;
 * Pending before Unknown before Running; not ready before ready; lower pod-deletion-cost first;
 * higher rank (more pods of the set on its node) first; ready for less time first; more
 * restarts first; newer first (an empty creation time first).
 */
export function compareForDeletion(a: Pod, b: Pod, rankA = 0, rankB = 0): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (rankA !== rankB) return rankB - rankA;
  if (ra && rb) {
    const ta = podReadySinceMs(a);
    const tb = podReadySinceMs(b);
    if (ta !== tb) return afterOrZero(ta, tb) ? -1 : 1;
  }
  const xa = maxContainerRestarts(a);
  const xb = maxContainerRestarts(b);
  if (xa !== xb) return xb - xa;
  const ka = timeMs(a.metadata.creationTimestamp);
  const kb = timeMs(b.metadata.creationTimestamp);
  if (ka !== kb) return afterOrZero(ka, kb) ? -1 : 1;
  return 0;
}

/**
 * The `count` pods to delete first. Ranks are Kubernetes': the number of the set's active pods
 * sharing each pod's node (`related`, defaults to `pods`), so doubled-up nodes lose pods first.
 */
export function podsToDelete(pods: readonly Pod[], count: number, related: readonly Pod[] = pods): Pod[] {
  if (count <= 0) return [];
  const perNode = new Map<string, number>();
  for (const p of related) {
    const n = p.spec?.nodeName;
    if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const rank = (p: Pod): number => (p.spec?.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0);
  const ranked = pods.map((p) => ({ p, r: rank(p) }));
  ranked.sort((x, y) => compareForDeletion(x.p, y.p, x.r, y.r));
  return ranked.slice(0, count).map((x) => x.p);
}
