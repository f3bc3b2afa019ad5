/** The Job a CronJob creates for a schedule time: named `<cronjob>-<Unix minutes>`, as Kubernetes names it. */
import type { CronJob, Job } from '../../model/types.js';
import { controllerRef } from '../util/controller-ref.js';
import { cloneJson } from '../../model/clone.js';
import { rfc3339 } from '../../clock/time-format.js';

/** The annotation with the schedule time a Job was created for. */
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** Kubernetes' getJobName: the CronJob's name and the schedule time in minutes since the epoch. */
export function jobNameFor(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

/** The Job of a CronJob for schedule time `scheduledMs`. */
export function jobForSchedule(cj: CronJob, scheduledMs: number): Job {
  const t = cloneJson(cj.spec?.jobTemplate ?? {}) as NonNullable<NonNullable<CronJob['spec']>['jobTemplate']>;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cj.metadata.name ?? '', scheduledMs),
      namespace: cj.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}) },
      annotations: { ...(t.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339(scheduledMs) },
      ownerReferences: [controllerRef({ ...cj, apiVersion: 'batch/v1', kind: 'CronJob' })],
    },
    spec: t.spec,
  };
}
