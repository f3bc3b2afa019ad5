/**
 * Finalizer-based pod tracking (Kubernetes' trackJobStatusAndRemoveFinalizers) as pure steps:
 * a finished pod's UID goes into `status.uncountedTerminatedPods` first, its tracking finalizer
 * is removed next, and only then is it moved to the `succeeded`/`failed` counters. A pod deleted
 * at any point is therefore counted exactly once.
 */
import type { batch, Job, Pod } from '../../model/types.js';
import { jsonEqual } from '../../model/json.js';
import { ensureJobCondition, newJobCondition, type JobCondition } from './conditions.js';
import { completionIndexOf, formatIndexes } from './indexes.js';
import { hasTrackingFinalizer } from './names.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { isJobPodFailed } from './pod-state.js';
import type { SyncPlan } from './sync-plan.js';

/** Kubernetes' MaxUncountedPods: most UIDs in uncountedTerminatedPods at once. */
export const MAX_UNCOUNTED_PODS = 500;

/** The first tracking step: what to write before removing finalizers. */
export interface TrackingPlan {
  /** Status with newly finished pods added to uncountedTerminatedPods (and an interim FailureTarget). */
  status: batch.JobStatus;
  /** Pods whose tracking finalizer to remove now. */
  removeFinalizer: Pod[];
  /** UIDs that still hold a finalizer (before removal). */
  withFinalizer: Set<string>;
  /** The condition that finishes the Job once nothing is uncounted. */
  finished?: JobCondition;
  /** False when the uncounted limit stopped the pass: the Job cannot finish in this sync. */
  complete: boolean;
}

/**
 * Kubernetes' cleanUncountedPodsWithoutFinalizers: UIDs in uncountedTerminatedPods whose pod no
 * longer holds the finalizer (or is gone) move to the counters. Returns a new status.
 */
export function countUncounted(status: batch.JobStatus, withFinalizer: ReadonlySet<string>): batch.JobStatus {
  const u = status.uncountedTerminatedPods ?? {};
  const succeeded = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  const failed = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  return {
    ...status,
    succeeded: (status.succeeded ?? 0) + (u.succeeded ?? []).length - succeeded.length,
    failed: (status.failed ?? 0) + (u.failed ?? []).length - failed.length,
    uncountedTerminatedPods: { succeeded, failed },
  };
}

/** Plans the tracking of finished pods after a sync. */
export function planTracking(job: Job, pods: readonly Pod[], plan: SyncPlan, expectedRemovals: ReadonlySet<string>): TrackingPlan {
  const indexed = job.spec?.completionMode === 'Indexed';
  const completions = job.spec?.completions ?? 0;
  const before = job.status?.uncountedTerminatedPods ?? {};
  const wasUncountedSucceeded = new Set(before.succeeded ?? []);
  const wasUncountedFailed = new Set(before.failed ?? []);
  const withFinalizer = new Set<string>();
  for (const p of pods) if (hasTrackingFinalizer(p) && !expectedRemovals.has(p.metadata.uid ?? '')) withFinalizer.add(p.metadata.uid ?? '');

  let status = countUncounted(plan.status, withFinalizer);
  const uncSucceeded = [...(status.uncountedTerminatedPods?.succeeded ?? [])];
  const uncFailed = [...(status.uncountedTerminatedPods?.failed ?? [])];
  const prev = new Set(plan.prevSucceededIndexes ?? []);
  const newIndexes: number[] = [];
  const removeFinalizer: Pod[] = [];
  let finished = plan.finished;
  const failing = finished !== undefined && finished.type !== 'Complete';
  let complete = true;
  const ordered = indexed ? [...pods].sort((a, b) => (completionIndexOf(a) ?? -1) - (completionIndexOf(b) ?? -1)) : pods;
  for (const pod of ordered) {
    const uid = pod.metadata.uid ?? '';
    if (!hasTrackingFinalizer(pod) || expectedRemovals.has(uid)) continue;
    const failed = isJobPodFailed(pod, job);
    const removable = !!job.metadata.deletionTimestamp || finished !== undefined || pod.status?.phase === 'Succeeded' || failed;
    if (!removable) continue;
    removeFinalizer.push(pod);
    if (pod.status?.phase === 'Succeeded' && !wasUncountedFailed.has(uid)) {
      if (indexed) {
        const ix = completionIndexOf(pod);
        if (ix !== undefined && ix < completions && !prev.has(ix)) newIndexes.push(ix);
      } else if (!wasUncountedSucceeded.has(uid)) uncSucceeded.push(uid);
    } else if (failed || failing) {
      const ix = completionIndexOf(pod);
      if (!wasUncountedFailed.has(uid) && (!indexed || (ix !== undefined && ix < completions))) {
        if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) uncFailed.push(uid);
      }
    }
    if (newIndexes.length + uncSucceeded.length + uncFailed.length >= MAX_UNCOUNTED_PODS) {
      complete = false;
      break;
    }
  }
  status = { ...status, uncountedTerminatedPods: { succeeded: uncSucceeded, failed: uncFailed } };
  if (indexed) {
    const all = [...(plan.succeededIndexes ?? []), ...newIndexes];
    status.completedIndexes = formatIndexes(all);
    status.succeeded = new Set(all).size;
  }
  if (finished?.type === 'FailureTarget') {
    status.conditions = [...(status.conditions ?? []), finished];
    finished = newJobCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', timeOf(finished));
  }
  return { status, removeFinalizer, withFinalizer, finished, complete };
}

function timeOf(c: JobCondition): number {
  return Date.parse(c.lastTransitionTime ?? '') || 0;
}

/**
 * Kubernetes' enactJobFinished: with nothing left uncounted, adds the finishing condition (and
 * completionTime for Complete). Returns the new status, or undefined when the Job cannot finish yet.
 */
export function enactFinished(status: batch.JobStatus, finished: JobCondition | undefined, nowMs: number): batch.JobStatus | undefined {
  if (!finished) return undefined;
  const u = status.uncountedTerminatedPods;
  if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return undefined;
  const r = ensureJobCondition(status.conditions, finished.type, finished.status, finished.reason ?? '', finished.message ?? '', nowMs);
  const next: batch.JobStatus = { ...status, conditions: r.conditions };
  if (finished.type === 'Complete') next.completionTime = r.conditions.find((c) => c.type === 'Complete')?.lastTransitionTime;
  return next;
}

/** True when two statuses differ (a status write is needed). */
export function statusChanged(a: batch.JobStatus | undefined, b: batch.JobStatus | undefined): boolean {
  return !jsonEqual(normalize(a), normalize(b));
}

function normalize(s: batch.JobStatus | undefined): batch.JobStatus {
  const u = s?.uncountedTerminatedPods;
  return { ...(s ?? {}), uncountedTerminatedPods: { succeeded: u?.succeeded ?? [], failed: u?.failed ?? [] } };
}
