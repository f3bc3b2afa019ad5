/**
 * ttlSecondsAfterFinished (Kubernetes' ttlafterfinished controller): a finished Job expires that
 * long after its Complete or Failed condition, and is then deleted in the foreground with its pods.
 */
import type { Job } from '../../model/types.js';
import { timeMs } from '../util/time.js';
import { finishedCondition } from './conditions.js';

/** When a finished Job with a TTL expires (ms), or undefined (no TTL, not finished, or being deleted). */
export function ttlExpiryMs(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl == null || job.metadata.deletionTimestamp) return undefined;
  const cond = finishedCondition(job);
  if (!cond) return undefined;
  const at =
    cond.type === 'Complete' ? (timeMs(job.status?.completionTime) ?? timeMs(cond.lastTransitionTime)) : timeMs(cond.lastTransitionTime);
  return at === undefined ? undefined : at + ttl * 1000;
}
