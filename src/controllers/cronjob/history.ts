/** successfulJobsHistoryLimit and failedJobsHistoryLimit: which finished Jobs of a CronJob to delete, oldest first. */
import type { Job } from '../../model/types.js';
import { timeMs } from '../util/time.js';
import { finishedCondition } from '../job/conditions.js';

function startedMs(j: Job): number {
  return timeMs(j.status?.startTime) ?? timeMs(j.metadata.creationTimestamp) ?? 0;
}

function oldestBeyond(jobs: Job[], limit: number | undefined): Job[] {
  if (limit == null || jobs.length <= limit) return [];
  return [...jobs]
    .sort((a, b) => startedMs(a) - startedMs(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
    .slice(0, jobs.length - limit);
}

/** The finished Jobs past the history limits: the oldest successful beyond one limit, the oldest failed beyond the other. */
export function jobsBeyondHistory(jobs: readonly Job[], successfulLimit: number | undefined, failedLimit: number | undefined): Job[] {
  const ok: Job[] = [];
  const failed: Job[] = [];
  for (const j of jobs) {
    const c = finishedCondition(j);
    if (c?.type === 'Complete') ok.push(j);
    else if (c?.type === 'Failed') failed.push(j);
  }
  return [...oldestBeyond(ok, successfulLimit), ...oldestBeyond(failed, failedLimit)];
}
