/**
 * Kubernetes' missed-schedule rules (mostRecentScheduleTime): the latest unmet schedule time
 * since the last one (or since startingDeadlineSeconds ago, if later), how many were missed,
 * and when the next one is due.
 */
import type { Schedule } from './schedule.js';

/** More missed starts than this is reported as a TooManyMissedTimes Warning. */
export const MAX_MISSED_REPORTED = 100;
/** Kubernetes' nextScheduleDelta: wake a little after the schedule time. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/** The outcome of {@link mostRecentSchedule}. */
export interface MissedSchedules {
  /** The latest schedule time in (earliest, now], if any. */
  mostRecentMs?: number;
  /** How many schedule times fell in (earliest, now] (an estimate above {@link MAX_MISSED_REPORTED}). */
  missed: number;
}

/**
 * The schedule times after `earliestMs` up to `nowMs`: the latest and how many. `earliestMs` is
 * lastScheduleTime (or creation), moved to `now - startingDeadlineSeconds` when that is later.
 */
export function mostRecentSchedule(schedule: Schedule, earliestMs: number, nowMs: number): MissedSchedules {
  let t = schedule.next(earliestMs);
  let latest: number | undefined;
  let missed = 0;
  while (t !== undefined && t <= nowMs) {
    latest = t;
    missed++;
    if (missed > MAX_MISSED_REPORTED) return estimate(schedule, latest, nowMs, missed);
    t = schedule.next(t);
  }
  return latest === undefined ? { missed: 0 } : { mostRecentMs: latest, missed };
}

/** Past the limit: count by the interval of two schedules, find the latest from shortly before now. */
function estimate(schedule: Schedule, fromMs: number, nowMs: number, counted: number): MissedSchedules {
  const a = schedule.next(fromMs);
  const b = a === undefined ? undefined : schedule.next(a);
  const interval = a !== undefined && b !== undefined ? Math.max(1000, b - a) : 60_000;
  const missed = counted + Math.floor((nowMs - fromMs) / interval);
  for (let back = interval * 2; ; back *= 2) {
    const start = Math.max(fromMs, nowMs - back);
    let latest: number | undefined;
    for (let t = schedule.next(start); t !== undefined && t <= nowMs; t = schedule.next(t)) latest = t;
    if (latest !== undefined || start === fromMs) return { mostRecentMs: latest ?? fromMs, missed };
  }
}

/** The earliest time to consider: lastScheduleTime or creation, or now - startingDeadlineSeconds if later. */
export function earliestConsidered(
  lastScheduleMs: number | undefined,
  createdMs: number,
  nowMs: number,
  startingDeadlineSeconds: number | undefined,
): number {
  let earliest = lastScheduleMs ?? createdMs;
  if (startingDeadlineSeconds != null) earliest = Math.max(earliest, nowMs - startingDeadlineSeconds * 1000);
  return earliest;
}

/** How long until the next schedule time after `nowMs` (plus Kubernetes' 100 ms), or undefined. */
export function untilNextScheduleMs(schedule: Schedule, nowMs: number): number | undefined {
  const next = schedule.next(nowMs);
  return next === undefined ? undefined : next - nowMs + NEXT_SCHEDULE_DELTA_MS;
}
