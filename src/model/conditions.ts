/**
 * Status conditions, as every kind carries them (Pod, Node, Deployment, ReplicaSet, custom
 * resources): read one, set one, remove one. The one condition helper of tugboat: controllers,
 * the scheduler and the node agent all write conditions through it, so lastTransitionTime
 * means the same everywhere: it moves only when the status changes, as in Kubernetes.
 */

/** The fields of a status condition that these helpers read (metav1.Condition and the per-kind ones). */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Options of {@link setCondition}. */
export interface SetConditionOptions {
  /**
   * The time (RFC 3339) a status change is stamped with. Without it a change keeps the
   * condition's own lastTransitionTime.
   */
  now?: string;
  /**
   * Leave an existing condition of the same status and reason exactly as it is (message and
   * other times included), as Kubernetes' SetDeploymentCondition and SetReplicaSetCondition do.
   * @default false
   */
  keepSameReason?: boolean;
}

/** The condition of `type`, if present. */
export function getCondition<C extends { type: string }>(conditions: readonly C[] | null | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * `next` as it is to be stored over `previous` (the condition of the same type, if any): with
 * previous' lastTransitionTime when the status is unchanged (and previous has one), otherwise
 * stamped with `now` (or next's own time when `now` is not given).
 */
export function transitioned<C extends Condition>(previous: Condition | undefined, next: C, now?: string): C {
  const time =
    previous && previous.status === next.status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : (now ?? next.lastTransitionTime);
  return time === next.lastTransitionTime ? next : { ...next, lastTransitionTime: time };
}

/**
 * A new list with `condition` set (Kubernetes' meta.SetStatusCondition): it replaces the
 * condition of its type in place, or is appended; lastTransitionTime follows
 * {@link transitioned}. Returns the input list itself when nothing changes.
 */
export function setCondition<C extends Condition>(
  conditions: readonly C[] | null | undefined,
  condition: C,
  options: SetConditionOptions = {},
): C[] {
  const list = conditions ?? [];
  const i = list.findIndex((c) => c.type === condition.type);
  const current = i >= 0 ? list[i] : undefined;
  if (current && options.keepSameReason && current.status === condition.status && current.reason === condition.reason) return list as C[];
  const next = transitioned(current, condition, options.now);
  if (current && sameCondition(current, next)) return list as C[];
  const out = [...list];
  if (i >= 0) out[i] = next;
  else out.push(next);
  return out;
}

/** A new list without the condition of `type` (the input list itself when there is none). */
export function removeCondition<C extends { type: string }>(conditions: readonly C[] | null | undefined, type: string): C[] {
  const list = conditions ?? [];
  return list.some((c) => c.type === type) ? list.filter((c) => c.type !== type) : (list as C[]);
}

function sameCondition(a: Condition, b: Condition): boolean {
  const ka = Object.keys(a).filter((k) => (a as unknown as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as unknown as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => (a as unknown as Record<string, unknown>)[k] === (b as unknown as Record<string, unknown>)[k])
  );
}
