/**
 * Pod state as workload controllers read it (Kubernetes' podutil): active, ready, available.
 */
import type { Pod } from '../../model/types.js';
import { timeMs } from './time.js';
import { getCondition } from '../../model/conditions.js';

/** A pod counts toward a workload while it is not terminating and not Succeeded/Failed. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** The pod's Ready condition, if any. */
export function readyCondition(pod: Pod): { status: string; lastTransitionTime?: string } | undefined {
  return getCondition(pod.status?.conditions, 'Ready');
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** When the pod last became ready (ms), or undefined when not ready or unknown. */
export function podReadySinceMs(pod: Pod): number | undefined {
  const c = readyCondition(pod);
  return c?.status === 'True' ? timeMs(c.lastTransitionTime) : undefined;
}

/**
 * True when the pod has been ready for more than `minReadySeconds` at `nowMs` (Kubernetes'
 * IsPodAvailable: with minReadySeconds > 0 the Ready condition needs a lastTransitionTime).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = podReadySinceMs(pod);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/** Milliseconds until a ready, not yet available pod becomes available; undefined otherwise. */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, nowMs: number): number | undefined {
  if (!minReadySeconds || !isPodReady(pod) || isPodAvailable(pod, minReadySeconds, nowMs)) return undefined;
  const since = podReadySinceMs(pod);
  return since === undefined ? undefined : since + minReadySeconds * 1000 - nowMs + 1;
}

/** The highest restart count among the pod's containers. */
export function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  return max;
}
