/**
 * Helpers for status conditions of apps/v1 kinds (Deployment and ReplicaSet conditions).
 */

/** A workload condition (Deployment conditions carry lastUpdateTime too). */
export interface WorkloadCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

/** The condition of a type, if present. */
export function getCondition<C extends WorkloadCondition>(conds: readonly C[] | undefined, type: string): C | undefined {
  return conds?.find((c) => c.type === type);
}

/**
 * Kubernetes' SetDeploymentCondition: a condition of equal status and reason leaves the list
 * as it is; an equal status keeps the old lastTransitionTime. Returns a new list.
 */
export function setCondition<C extends WorkloadCondition>(conds: readonly C[] | undefined, cond: C): C[] {
  const list = [...(conds ?? [])];
  const i = list.findIndex((c) => c.type === cond.type);
  const cur = i >= 0 ? list[i] : undefined;
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return list;
  const next = cur && cur.status === cond.status ? { ...cond, lastTransitionTime: cur.lastTransitionTime } : cond;
  if (i >= 0) list.splice(i, 1);
  list.push(next);
  return list;
}

/** A new list without conditions of `type`. */
export function removeCondition<C extends WorkloadCondition>(conds: readonly C[] | undefined, type: string): C[] {
  return (conds ?? []).filter((c) => c.type !== type);
}
