/**
 * PodDisruptionBudget rules shared by the disruption controller, the eviction subresource and
 * the scheduler's preemption (Kubernetes' component-helpers/apps/poddisruptionbudget and the
 * policy/v1 lister's GetPodPodDisruptionBudgets): which budgets cover a pod, and the
 * DisruptionAllowed condition that follows `status.disruptionsAllowed`.
 */
import type { Pod, PodDisruptionBudget, policy } from './types.js';
import { labelSelectorAsSelector } from './selector.js';
import { setCondition } from './conditions.js';

/** The condition type the disruption controller and the eviction API keep on a budget. */
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
/** Reason of DisruptionAllowed=True: the budget allows at least one disruption. */
export const SUFFICIENT_PODS = 'SufficientPods';
/** Reason of DisruptionAllowed=False: no disruption is allowed now. */
export const INSUFFICIENT_PODS = 'InsufficientPods';
/** Reason of DisruptionAllowed=False when the controller could not compute the status. */
export const SYNC_FAILED = 'SyncFailed';
/** The pod condition an eviction (or preemption) sets before the pod is deleted. */
export const DISRUPTION_TARGET = 'DisruptionTarget';

/**
 * True when `pdb` covers `pod`: same namespace and its selector matches the pod's labels. In
 * policy/v1 an empty selector (`{}`) covers every pod of the namespace; a missing one covers none.
 */
export function budgetCoversPod(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if ((pdb.metadata.namespace ?? '') !== (pod.metadata.namespace ?? '')) return false;
  try {
    return labelSelectorAsSelector(pdb.spec?.selector).matches(pod.metadata.labels ?? {});
  } catch {
    return false; // an unparsable selector covers nothing (the lister skips it)
  }
}

/** The budgets among `pdbs` that cover `pod`, in the order given. */
export function budgetsForPod(pdbs: readonly PodDisruptionBudget[], pod: Pod): PodDisruptionBudget[] {
  return pdbs.filter((b) => budgetCoversPod(b, pod));
}

/**
 * The status with its DisruptionAllowed condition brought in line with `disruptionsAllowed`
 * (pdbhelper.UpdateDisruptionAllowedCondition): True/SufficientPods when positive,
 * False/InsufficientPods otherwise, observedGeneration the status'. `now` stamps a change.
 */
export function withDisruptionAllowedCondition(status: policy.PodDisruptionBudgetStatus, now: string): policy.PodDisruptionBudgetStatus {
  const allowed = status.disruptionsAllowed > 0;
  const conditions = setCondition(
    status.conditions,
    {
      type: DISRUPTION_ALLOWED,
      status: allowed ? 'True' : 'False',
      reason: allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS,
      message: '',
      observedGeneration: status.observedGeneration,
      lastTransitionTime: now,
    },
    { now },
  );
  return { ...status, conditions };
}

/** True when the DisruptionAllowed condition matches the status (pdbhelper.ConditionsAreUpToDate). */
export function disruptionConditionUpToDate(status: policy.PodDisruptionBudgetStatus | undefined): boolean {
  const c = status?.conditions?.find((x) => x.type === DISRUPTION_ALLOWED);
  if (!status || !c || c.observedGeneration !== status.observedGeneration) return false;
  return status.disruptionsAllowed > 0
    ? c.status === 'True' && c.reason === SUFFICIENT_PODS
    : c.status === 'False' && c.reason === INSUFFICIENT_PODS;
}
