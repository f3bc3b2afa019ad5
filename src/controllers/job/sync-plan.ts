/**
 * The decision of one Job sync as a pure function (Kubernetes' syncJob and manageJob): whether
 * the Job has finished, which pods to delete, which to create (and with which completion index),
 * when to look again, and the status counters before finalizer tracking.
 */
import type { batch, Job, Pod } from '../../model/types.js';
import { rfc3339 } from '../../clock/time-format.js';
import { timeMs } from '../util/time.js';
import { podsToDelete } from '../replicaset/deletion-order.js';
import { nextBackoffRecord, remainingBackoffMs, type BackoffRecord } from './backoff.js';
import { ensureJobCondition, findJobCondition, newJobCondition, type JobCondition } from './conditions.js';
import { completionIndexOf, firstPendingIndexes, formatIndexes, hasValidIndex, parseIndexes } from './indexes.js';
import { hasTrackingFinalizer } from './names.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import {
  failedIndexesOf,
  hasBackoffLimitPerIndex,
  indexBackoffRemainingMs,
  lastFailedByIndex,
  nextFailureCounts,
  type IndexFailureCounts,
} from './per-index.js';
import { activeOf, countReady, countTerminating, isJobPodFailed, onlyReplaceFailedPods, restartsOfLivePods } from './pod-state.js';

/** Kubernetes' MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Kubernetes' syncJobBatchPeriod: the shortest delayed resync. */
export const SYNC_BATCH_PERIOD_MS = 1000;

/** What {@link planSync} reads. */
export interface SyncInput {
  job: Job;
  /** Every pod the Job controls (active, finished, terminating). */
  pods: readonly Pod[];
  nowMs: number;
  /** The back-off record kept from the previous syncs. */
  backoff: BackoffRecord;
  /** False while creations or deletions of an earlier sync are not observed yet. */
  expectationsSatisfied: boolean;
  /** UIDs of pods whose finalizer removal is issued but not observed: already counted. */
  expectedRemovals: ReadonlySet<string>;
}

/** An Event the sync records on the Job. */
export interface JobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** The outcome of {@link planSync}. */
export interface SyncPlan {
  /** The status to track from: startTime, conditions (Suspended), active, ready, terminating. */
  status: batch.JobStatus;
  /** The condition that finishes the Job (Failed, Complete, or the interim FailureTarget). */
  finished?: JobCondition;
  /** Active pods to delete because the Job finished (their finalizers stay until counted). */
  deleteFinished: Pod[];
  /** Active pods to delete because too many run or the Job is suspended (finalizer removed first). */
  deleteExcess: Pod[];
  /** One entry per pod to create: its completion index (undefined for NonIndexed). */
  create: (number | undefined)[];
  /** Look again after this long (back-off, activeDeadlineSeconds). */
  requeueAfterMs?: number;
  /** The back-off record after this sync's newly finished pods. */
  backoff: BackoffRecord;
  /** Succeeded indexes of an Indexed Job: from status and from succeeded pods not counted yet. */
  succeededIndexes?: number[];
  /** Succeeded indexes as the status had them before this sync. */
  prevSucceededIndexes?: number[];
  /** With backoffLimitPerIndex: the failure counts each created pod's index starts with. */
  indexFailureCounts?: Map<number, IndexFailureCounts>;
  events: JobEvent[];
}

/** True when the Job is suspended. */
export function isSuspended(job: Job): boolean {
  return job.spec?.suspend === true;
}

/** Pods with the tracking finalizer, not counted yet, that pass `filter` (and, if Indexed, have a valid index). */
function newFinished(input: SyncInput, uncounted: ReadonlySet<string>, filter: (p: Pod) => boolean): Pod[] {
  const { job } = input;
  const indexed = job.spec?.completionMode === 'Indexed';
  const completions = job.spec?.completions ?? 0;
  return input.pods.filter((p) => {
    const uid = p.metadata.uid ?? '';
    if (!hasTrackingFinalizer(p) || uncounted.has(uid) || input.expectedRemovals.has(uid)) return false;
    if (indexed && !hasValidIndex(p, completions)) return false;
    return filter(p);
  });
}

/** Kubernetes' pastBackoffLimitOnFailure: restarts of live pods reach backoffLimit (restartPolicy OnFailure only). */
function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  const restarts = restartsOfLivePods(pods);
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** The active pods of an Indexed Job to remove: invalid or duplicated indexes (keeping the best pod of each index). */
function duplicatedIndexPods(active: readonly Pod[], completions: number): { rm: Pod[]; left: Pod[] } {
  const rm: Pod[] = [];
  const left: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const p of active) {
    const ix = completionIndexOf(p);
    if (ix === undefined || ix >= completions) rm.push(p);
    else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  for (const group of byIndex.values()) {
    const victims = podsToDelete(group, group.length - 1);
    rm.push(...victims);
    left.push(...group.filter((p) => !victims.includes(p)));
  }
  return { rm, left };
}

/** Kubernetes' activePodsForRemoval: duplicated/invalid indexes first, then in deletion order. */
function activePodsForRemoval(job: Job, active: readonly Pod[], rmAtLeast: number): Pod[] {
  let rm: Pod[] = [];
  let left: readonly Pod[] = active;
  if (job.spec?.completionMode === 'Indexed') ({ rm, left } = duplicatedIndexPods(active, job.spec.completions ?? 0));
  if (rm.length < rmAtLeast) rm = [...rm, ...podsToDelete(left, rmAtLeast - rm.length)];
  return rm;
}

/** Plans one sync of a Job that has not finished. */
export function planSync(input: SyncInput): SyncPlan {
  const { job, pods, nowMs } = input;
  const spec = job.spec ?? ({} as batch.JobSpec);
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions ?? undefined;
  const status: batch.JobStatus = { ...(job.status ?? {}) };
  const events: JobEvent[] = [];
  const uncountedSucceeded = new Set(status.uncountedTerminatedPods?.succeeded ?? []);
  const uncountedFailed = new Set(status.uncountedTerminatedPods?.failed ?? []);

  const active = activeOf(pods);
  let activeCount = active.length;
  let ready = countReady(active);
  let terminating = countTerminating(pods);
  const newSucceeded = newFinished(input, uncountedSucceeded, (p) => p.status?.phase === 'Succeeded');
  const newFailed = newFinished(input, uncountedFailed, (p) => isJobPodFailed(p, job));
  let succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncountedSucceeded.size;
  const countedNewFailed = newFailed.filter((p) => matchPodFailurePolicy(spec.podFailurePolicy, p).countFailed).length;
  const failed = (status.failed ?? 0) + countedNewFailed + uncountedFailed.size;

  if (status.startTime == null && !isSuspended(job)) status.startTime = rfc3339(nowMs);
  const backoff = nextBackoffRecord(input.backoff, newSucceeded, newFailed);
  let requeueAfterMs: number | undefined;
  const requeue = (ms: number) => (requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, Math.max(ms, 0)));

  let finished: JobCondition | undefined;
  const target = findJobCondition(status.conditions, 'FailureTarget');
  if (target?.status === 'True') {
    finished = newJobCondition('Failed', 'True', target.reason ?? '', target.message ?? '', nowMs);
  } else if (spec.podFailurePolicy) {
    for (const p of pods) {
      if (!isJobPodFailed(p, job)) continue;
      const m = matchPodFailurePolicy(spec.podFailurePolicy, p);
      if (m.failJobMessage) {
        finished = newJobCondition('FailureTarget', 'True', 'PodFailurePolicy', m.failJobMessage, nowMs);
        break;
      }
    }
  }
  const perIndex = hasBackoffLimitPerIndex(job);
  const failedIndexes = perIndex ? failedIndexesOf(job, pods) : new Set<number>();
  if (perIndex) {
    const text = formatIndexes(failedIndexes);
    if (text !== '' || status.failedIndexes !== undefined) status.failedIndexes = text;
    const max = spec.maxFailedIndexes;
    if (!finished && max != null && failedIndexes.size > max) {
      finished = newJobCondition(
        'Failed',
        'True',
        'MaxFailedIndexesExceeded',
        'Job has exceeded the specified maximal number of failed indexes',
        nowMs,
      );
    }
  }
  if (!finished) {
    const startMs = timeMs(status.startTime ?? undefined);
    const deadlineMs =
      spec.activeDeadlineSeconds != null && startMs !== undefined && !isSuspended(job)
        ? startMs + spec.activeDeadlineSeconds * 1000
        : undefined;
    if (failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
      finished = newJobCondition('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', nowMs);
    } else if (deadlineMs !== undefined && nowMs >= deadlineMs) {
      finished = newJobCondition('Failed', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', nowMs);
    } else if (deadlineMs !== undefined) {
      requeue(deadlineMs - nowMs);
    }
  }

  let succeededIndexes: number[] | undefined;
  let prevSucceededIndexes: number[] | undefined;
  if (indexed) {
    const c = completions ?? 0;
    prevSucceededIndexes = parseIndexes(status.completedIndexes, c);
    const set = new Set(prevSucceededIndexes);
    for (const p of pods) {
      const ix = completionIndexOf(p);
      if (p.status?.phase === 'Succeeded' && ix !== undefined && ix < c && hasTrackingFinalizer(p)) set.add(ix);
    }
    succeededIndexes = [...set].sort((a, b) => a - b);
    succeeded = succeededIndexes.length;
  }

  const plan: SyncPlan = {
    status,
    deleteFinished: [],
    deleteExcess: [],
    create: [],
    backoff,
    events,
    succeededIndexes,
    prevSucceededIndexes,
  };
  if (finished) {
    plan.deleteFinished = active;
    activeCount = 0;
    terminating += active.length;
    ready = 0;
    // Not finished until the deletions and every earlier creation are observed.
    if (input.expectationsSatisfied) plan.finished = finished;
  } else {
    let managed = false;
    if (input.expectationsSatisfied && !job.metadata.deletionTimestamp) {
      managed = true;
      manage();
    }
    const complete = completions == null ? succeeded > 0 && activeCount === 0 : succeeded >= completions && activeCount === 0;
    const allIndexesDone = perIndex && failedIndexes.size > 0 && activeCount === 0 && succeeded + failedIndexes.size >= (completions ?? 0);
    if (complete) plan.finished = newJobCondition('Complete', 'True', '', '', nowMs);
    else if (allIndexesDone && input.expectationsSatisfied) {
      plan.finished = newJobCondition('Failed', 'True', 'FailedIndexes', 'Job has failed indexes', nowMs);
    } else if (managed) {
      const suspended = isSuspended(job);
      const r = suspended
        ? ensureJobCondition(status.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', nowMs)
        : ensureJobCondition(status.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', nowMs);
      if (r.changed) {
        status.conditions = r.conditions;
        events.push({ type: 'Normal', reason: suspended ? 'Suspended' : 'Resumed', message: suspended ? 'Job suspended' : 'Job resumed' });
        // activeDeadlineSeconds counts continuous activity: a resumed Job starts again.
        if (!suspended) status.startTime = rfc3339(nowMs);
      }
    }
  }
  status.active = activeCount;
  status.ready = ready;
  status.terminating = terminating;
  if (requeueAfterMs !== undefined) plan.requeueAfterMs = requeueAfterMs;
  return plan;

  function manage(): void {
    if (isSuspended(job)) {
      plan.deleteExcess = active;
      terminating += active.length;
      activeCount = 0;
      ready = 0;
      return;
    }
    const parallelism = spec.parallelism ?? 1;
    let wantActive: number;
    if (completions == null) wantActive = succeeded > 0 ? activeCount : parallelism;
    else wantActive = Math.max(0, Math.min(completions - succeeded - failedIndexes.size, parallelism));
    const rm = activePodsForRemoval(job, active, Math.max(0, activeCount - wantActive)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (rm.length > 0) {
      plan.deleteExcess = rm;
      activeCount -= rm.length;
      terminating += rm.length;
      ready -= countReady(rm);
      return;
    }
    const waiting = onlyReplaceFailedPods(job) ? terminating : 0;
    let diff = wantActive - waiting - activeCount;
    if (diff <= 0) return;
    // With backoffLimitPerIndex each index waits out its own back-off instead of the Job's.
    const remaining = perIndex ? 0 : remainingBackoffMs(backoff, nowMs);
    if (remaining > 0) {
      requeue(Math.max(remaining, SYNC_BATCH_PERIOD_MS));
      return;
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (indexed) {
      const activeIndexes = new Set(active.map(completionIndexOf).filter((i): i is number => i !== undefined));
      const done = new Set([...(succeededIndexes ?? []), ...failedIndexes]);
      if (perIndex) {
        // Indexes still in their back-off are skipped (and looked at again when it ends).
        const lastFailed = lastFailedByIndex(job, pods);
        const counts = new Map<number, IndexFailureCounts>();
        const candidates = firstPendingIndexes(completions ?? 0, completions ?? 0, done, activeIndexes);
        for (const ix of candidates) {
          if (plan.create.length >= diff) break;
          const wait = indexBackoffRemainingMs(job, lastFailed.get(ix), nowMs);
          if (wait > 0) {
            requeue(Math.max(wait, SYNC_BATCH_PERIOD_MS));
            continue;
          }
          plan.create.push(ix);
          counts.set(ix, nextFailureCounts(job, lastFailed.get(ix)));
        }
        plan.indexFailureCounts = counts;
      } else plan.create = firstPendingIndexes(diff, completions ?? 0, done, activeIndexes);
    } else {
      plan.create = Array.from({ length: diff }, () => undefined);
    }
    activeCount += plan.create.length;
  }
}
