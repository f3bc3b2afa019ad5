/**
 * The schedule decision of one CronJob sync as a pure function (Kubernetes' syncCronJob after
 * the active list is updated): start a Job for the latest unmet schedule time, skip it (too late,
 * Forbid with a Job running, already started), replace the running Jobs, and when to wake.
 */
import type { CronJob } from '../../model/types.js';
import { timeMs } from '../util/time.js';
import { earliestConsidered, MAX_MISSED_REPORTED, mostRecentSchedule, untilNextScheduleMs } from './missed.js';
import { jobNameFor } from './job-template.js';
import type { Schedule } from './schedule.js';

/** What the sync does about the latest schedule time. */
export type ScheduleAction =
  /** No unmet schedule time. */
  | { kind: 'wait' }
  /** The time passed more than startingDeadlineSeconds ago: a MissSchedule Warning. */
  | { kind: 'too-late'; scheduledMs: number }
  /** A Job for this time exists or was started. */
  | { kind: 'done'; scheduledMs: number }
  /** Forbid, and a Job is still running: try again later (the time stays unmet). */
  | { kind: 'forbidden'; scheduledMs: number }
  /** Start the Job (after deleting the running ones when `replace`). */
  | { kind: 'start'; scheduledMs: number; jobName: string; replace: boolean };

/** The outcome of {@link planSchedule}. */
export interface SchedulePlan {
  action: ScheduleAction;
  /** Set when more than 100 start times were missed (a TooManyMissedTimes Warning). */
  tooManyMissed?: number;
  /** When to look again: the next schedule time (+100 ms). */
  requeueAfterMs?: number;
}

/** Plans the schedule step of a CronJob that is not suspended. `activeNames` are the Jobs in status.active. */
export function planSchedule(cj: CronJob, schedule: Schedule, nowMs: number, activeNames: readonly string[]): SchedulePlan {
  const spec = cj.spec;
  const lastMs = timeMs(cj.status?.lastScheduleTime ?? undefined);
  const createdMs = timeMs(cj.metadata.creationTimestamp) ?? nowMs;
  const earliest = earliestConsidered(lastMs, createdMs, nowMs, spec?.startingDeadlineSeconds ?? undefined);
  const { mostRecentMs, missed } = mostRecentSchedule(schedule, earliest, nowMs);
  const requeueAfterMs = untilNextScheduleMs(schedule, nowMs);
  const plan: SchedulePlan = { action: { kind: 'wait' }, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
  if (missed > MAX_MISSED_REPORTED) plan.tooManyMissed = missed;
  if (mostRecentMs === undefined) return plan;
  const sds = spec?.startingDeadlineSeconds;
  if (sds != null && mostRecentMs + sds * 1000 < nowMs) {
    plan.action = { kind: 'too-late', scheduledMs: mostRecentMs };
    return plan;
  }
  const jobName = jobNameFor(cj.metadata.name ?? '', mostRecentMs);
  if (activeNames.includes(jobName) || lastMs === mostRecentMs) {
    plan.action = { kind: 'done', scheduledMs: mostRecentMs };
    return plan;
  }
  const policy = spec?.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && activeNames.length > 0) {
    plan.action = { kind: 'forbidden', scheduledMs: mostRecentMs };
    return plan;
  }
  plan.action = { kind: 'start', scheduledMs: mostRecentMs, jobName, replace: policy === 'Replace' && activeNames.length > 0 };
  return plan;
}
