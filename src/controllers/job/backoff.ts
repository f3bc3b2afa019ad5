/**
 * The Job's pod-failure back-off, as Kubernetes' job controller computes it: after n failures
 * since the last success, a replacement pod waits 10 s · 2^(n-1) (at most 6 minutes) from the
 * last failure.
 */
import type { Pod } from '../../model/types.js';
import { timeMs } from '../util/time.js';

/** Kubernetes' DefaultJobPodFailureBackOff: 10 s. */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
/** Kubernetes' MaxJobPodFailureBackOff: 6 minutes. */
export const MAX_POD_FAILURE_BACKOFF_MS = 360_000;

/** Failures since the last success and when the last one happened (ms). */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureMs?: number;
}

/**
 * When a pod finished: the latest container finish time when every container terminated, else
 * the Ready=False transition, else its deletion time less the grace period, else its creation.
 */
export function finishedTimeMs(pod: Pod): number {
  const statuses = pod.status?.containerStatuses ?? [];
  let latest: number | undefined;
  let all = statuses.length > 0;
  for (const s of statuses) {
    const t = timeMs(s.state?.terminated?.finishedAt);
    if (t === undefined) {
      all = false;
      break;
    }
    latest = latest === undefined ? t : Math.max(latest, t);
  }
  if (all && latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? timeMs(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deleted = timeMs(pod.metadata.deletionTimestamp);
  if (deleted !== undefined) return deleted - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return timeMs(pod.metadata.creationTimestamp) ?? 0;
}

/**
 * The record after newly finished pods were seen: failures add up; a success resets the count
 * to the failures that finished after the latest success.
 */
export function nextBackoffRecord(old: BackoffRecord, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
  const failedTimes = newFailed.map(finishedTimeMs).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    if (failedTimes.length === 0) return old;
    return {
      failuresAfterLastSuccess: old.failuresAfterLastSuccess + failedTimes.length,
      lastFailureMs: failedTimes[failedTimes.length - 1],
    };
  }
  const lastSuccess = Math.max(...newSucceeded.map(finishedTimeMs));
  const after = failedTimes.filter((t) => t > lastSuccess);
  return after.length === 0
    ? { failuresAfterLastSuccess: 0 }
    : { failuresAfterLastSuccess: after.length, lastFailureMs: after[after.length - 1] };
}

/** The back-off after `failures` consecutive failures: 10 s doubling, capped at 6 minutes. */
export function backoffDelayMs(failures: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (failures <= 0) return 0;
  let d = baseMs;
  for (let i = 1; i < failures; i++) {
    d *= 2;
    if (d >= maxMs) return maxMs;
  }
  return Math.min(d, maxMs);
}

/** How long until a replacement pod may be created (0: now). */
export function remainingBackoffMs(record: BackoffRecord, nowMs: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureMs === undefined) return 0;
  const elapsed = nowMs - record.lastFailureMs;
  const delay = backoffDelayMs(record.failuresAfterLastSuccess);
  return delay < elapsed ? 0 : delay - elapsed;
}
