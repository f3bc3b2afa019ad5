/** Job conditions as Kubernetes' job controller writes them (Complete, Failed, FailureTarget, Suspended). */
import type { batch, Job } from '../../model/types.js';
import { rfc3339 } from '../../clock/time-format.js';

/** A Job condition. */
export type JobCondition = batch.JobCondition;

/** A new condition stamped with `nowMs`. */
export function newJobCondition(type: string, status: string, reason: string, message: string, nowMs: number): JobCondition {
  const at = rfc3339(nowMs);
  return { type, status, reason, message, lastProbeTime: at, lastTransitionTime: at };
}

/** The condition of a type, if present. */
export function findJobCondition(conds: readonly JobCondition[] | undefined, type: string): JobCondition | undefined {
  return conds?.find((c) => c.type === type);
}

/** True when the Job has a Complete or Failed condition that is True. */
export function isJobFinished(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** The Complete or Failed condition that finished the Job, if any. */
export function finishedCondition(job: Job): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/**
 * Kubernetes' ensureJobConditionStatus: updates the condition of `type` when status, reason or
 * message differ, appends it when absent (unless False). Returns the list and whether it changed.
 */
export function ensureJobCondition(
  conds: readonly JobCondition[] | undefined,
  type: string,
  status: string,
  reason: string,
  message: string,
  nowMs: number,
): { conditions: JobCondition[]; changed: boolean } {
  const list = [...(conds ?? [])];
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i];
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return { conditions: list, changed: false };
    list[i] = newJobCondition(type, status, reason, message, nowMs);
    return { conditions: list, changed: true };
  }
  if (status === 'False') return { conditions: list, changed: false };
  list.push(newJobCondition(type, status, reason, message, nowMs));
  return { conditions: list, changed: true };
}
