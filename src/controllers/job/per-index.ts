/**
 * backoffLimitPerIndex (Indexed Jobs, beta in Kubernetes 1.30): each index is retried up to
 * backoffLimitPerIndex times on its own, with its own back-off; an index that runs out (or whose
 * pod matched a FailIndex rule) is failed, listed in `status.failedIndexes` and not retried.
 * Pods carry the count of their index's earlier failures in an annotation.
 */
import type { Job, Pod } from '../../model/types.js';
import { backoffDelayMs, finishedTimeMs } from './backoff.js';
import { completionIndexOf, parseIndexes } from './indexes.js';
import { JOB_INDEX_FAILURE_COUNT, JOB_INDEX_IGNORED_FAILURE_COUNT } from './names.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import { isJobPodFailed } from './pod-state.js';

/** The failure counts a new pod of an index starts with. */
export interface IndexFailureCounts {
  failures: number;
  ignored: number;
}

/** True when the Job retries per index. */
export function hasBackoffLimitPerIndex(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed' && job.spec.backoffLimitPerIndex != null;
}

function annotationCount(pod: Pod, key: string): number {
  const text = pod.metadata.annotations?.[key];
  const n = text === undefined ? 0 : Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** The failures of the pod's index before it (its annotation). */
export function indexFailureCount(pod: Pod): number {
  return annotationCount(pod, JOB_INDEX_FAILURE_COUNT);
}

/** True when the failed pod fails its index: a FailIndex rule matched, or the index used up its retries. */
export function failsIndex(job: Job, pod: Pod): boolean {
  if (!isJobPodFailed(pod, job)) return false;
  const m = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod);
  if (m.action === 'FailIndex') return true;
  if (!m.countFailed) return false;
  return indexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** The failed indexes: those in the status and those of failed pods that fail their index. */
export function failedIndexesOf(job: Job, pods: readonly Pod[]): Set<number> {
  const completions = job.spec?.completions ?? 0;
  const out = new Set(parseIndexes(job.status?.failedIndexes, completions));
  for (const p of pods) {
    const ix = completionIndexOf(p);
    if (ix !== undefined && ix < completions && failsIndex(job, p)) out.add(ix);
  }
  return out;
}

/** Per index, its latest failed pod (by finish time). */
export function lastFailedByIndex(job: Job, pods: readonly Pod[]): Map<number, Pod> {
  const out = new Map<number, Pod>();
  for (const p of pods) {
    if (!isJobPodFailed(p, job)) continue;
    const ix = completionIndexOf(p);
    if (ix === undefined) continue;
    const prev = out.get(ix);
    if (!prev || finishedTimeMs(p) >= finishedTimeMs(prev)) out.set(ix, p);
  }
  return out;
}

/** The counts a replacement of `lastFailed` starts with (getNewIndexFailureCounts); zeros for a first pod. */
export function nextFailureCounts(job: Job, lastFailed: Pod | undefined): IndexFailureCounts {
  if (!lastFailed) return { failures: 0, ignored: 0 };
  const counted = matchPodFailurePolicy(job.spec?.podFailurePolicy, lastFailed).countFailed;
  return {
    failures: indexFailureCount(lastFailed) + (counted ? 1 : 0),
    ignored: annotationCount(lastFailed, JOB_INDEX_IGNORED_FAILURE_COUNT) + (counted ? 0 : 1),
  };
}

/** How long until an index whose latest pod failed may get a new pod (its own back-off). */
export function indexBackoffRemainingMs(job: Job, lastFailed: Pod | undefined, nowMs: number): number {
  if (!lastFailed) return 0;
  const counts = nextFailureCounts(job, lastFailed);
  const delay = backoffDelayMs(counts.failures + counts.ignored);
  const elapsed = nowMs - finishedTimeMs(lastFailed);
  return delay < elapsed ? 0 : delay - elapsed;
}

/** The annotations of a pod of an index with these counts. */
export function failureCountAnnotations(counts: IndexFailureCounts): Record<string, string> {
  return {
    [JOB_INDEX_FAILURE_COUNT]: String(counts.failures),
    ...(counts.ignored > 0 ? { [JOB_INDEX_IGNORED_FAILURE_COUNT]: String(counts.ignored) } : {}),
  };
}
