/** How the Job controller reads its pods: active, failed, terminating, ready, restarts. */
import type { Job, Pod } from '../../model/types.js';
import { isPodActive, isPodReady } from '../util/pods.js';

/** True when a replacement waits for a pod to be fully terminated (podReplacementPolicy Failed, or a podFailurePolicy). */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;
}

/**
 * Kubernetes' isPodFailed: phase Failed, or (unless only failed pods are replaced) being deleted
 * before it succeeded, so a pod that never reaches a terminal phase still counts once.
 */
export function isJobPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** Pods being deleted that have not reached a terminal phase (Kubernetes' CountTerminatingPods). */
export function countTerminating(pods: readonly Pod[]): number {
  return pods.filter((p) => !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
}

/** The active pods (not terminating, not finished). */
export function activeOf(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

/** How many pods are Ready. */
export function countReady(pods: readonly Pod[]): number {
  return pods.filter(isPodReady).length;
}

/** Container restarts summed over running and pending pods (restartPolicy OnFailure counts these as failures). */
export function restartsOfLivePods(pods: readonly Pod[]): number {
  let n = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) n += s.restartCount ?? 0;
  }
  return n;
}
