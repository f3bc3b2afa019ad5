/**
 * A ReplicaSet's status from its pods (Kubernetes' calculateStatus), as a pure function.
 */
import type { apps, Pod, ReplicaSet } from '../../model/types.js';
import { rfc3339 } from '../../clock/time-format.js';
import { getCondition, removeCondition, setCondition } from '../../model/conditions.js';
import { isPodAvailable, isPodReady, msUntilAvailable } from '../util/pods.js';

/** An error of the last create/delete round, reported as the ReplicaFailure condition. */
export interface ManageError {
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

/** The status and when to look again (a pod will become available after minReadySeconds). */
export interface ReplicaSetStatusResult {
  status: apps.ReplicaSetStatus;
  requeueAfterMs?: number;
}

/** Computes the status of `rs` whose active, owned pods are `pods`. */
export function calculateReplicaSetStatus(
  rs: ReplicaSet,
  pods: readonly Pod[],
  nowMs: number,
  manageError?: ManageError,
): ReplicaSetStatusResult {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  let fully = 0;
  let ready = 0;
  let available = 0;
  let next: number | undefined;
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fully++;
    if (isPodReady(p)) ready++;
    if (isPodAvailable(p, minReady, nowMs)) available++;
    const wait = msUntilAvailable(p, minReady, nowMs);
    if (wait !== undefined) next = next === undefined ? wait : Math.min(next, wait);
  }
  let conditions = rs.status?.conditions;
  const failure = getCondition(conditions, 'ReplicaFailure');
  if (manageError && !failure) {
    const now = rfc3339(nowMs);
    conditions = setCondition(
      conditions,
      { type: 'ReplicaFailure', status: 'True', reason: manageError.reason, message: manageError.message, lastTransitionTime: now },
      { keepSameReason: true },
    );
  } else if (!manageError && failure) {
    conditions = removeCondition(conditions, 'ReplicaFailure');
  }
  const status: apps.ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: fully,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation,
    ...(conditions && conditions.length ? { conditions } : {}),
  };
  return { status, requeueAfterMs: next };
}
