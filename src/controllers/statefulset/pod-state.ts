/**
 * Pod state as the StatefulSet controller reads it (stateful_set_utils): created, terminating,
 * running and ready, available, unavailable.
 */
import type { Pod } from '../../model/types.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';

/** The pod exists in the store: it has a phase (a pod the controller only plans has none). */
export function isCreated(pod: Pod): boolean {
  return !!pod.status?.phase;
}

/** The pod is being deleted. */
export function isTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp;
}

/** Phase Failed. */
export function isFailed(pod: Pod): boolean {
  return pod.status?.phase === 'Failed';
}

/** Phase Succeeded. */
export function isSucceeded(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded';
}

/** Phase Pending. */
export function isPending(pod: Pod): boolean {
  return pod.status?.phase === 'Pending';
}

/** Phase Running and the Ready condition True. */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** Running and ready for more than minReadySeconds. */
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  return pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, nowMs);
}

/** Running, ready and not terminating. */
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

/** Not healthy, or not yet available. */
export function isUnavailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  return !isHealthy(pod) || !isRunningAndAvailable(pod, minReadySeconds, nowMs);
}
