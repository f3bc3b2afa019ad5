/**
 * The well-known names of batch/v1 Jobs (labels, annotations, the tracking finalizer) and the
 * selector and owner reference a Job uses for its pods.
 */
import type { Job, LabelSelector } from '../../model/types.js';

/** The Job kind. */
export const JOB = { apiVersion: 'batch/v1', kind: 'Job' } as const;
/** The component name of the Job controller (Events, logs). */
export const JOB_COMPONENT = 'job-controller';
/** The finalizer on every pod of a Job until the Job has counted it. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** The label (and annotation) holding the completion index of a pod of an Indexed Job. */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** The annotation counting the failed pods of an index before this one (backoffLimitPerIndex). */
export const JOB_INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
/** The annotation counting the failures of an index a podFailurePolicy Ignore rule did not count. */
export const JOB_INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';
/** The environment variable holding the completion index in an Indexed Job's containers. */
export const JOB_COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** The controller-uid label (and its legacy spelling). */
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
/** The job-name label (and its legacy spelling). */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

/** The labels Kubernetes puts on a Job's pod template when it generates the selector. */
export function generatedLabels(job: Job): Record<string, string> {
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  return { [CONTROLLER_UID_LABEL]: uid, [LEGACY_CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name, [LEGACY_JOB_NAME_LABEL]: name };
}

/** True unless the Job asks for its own selector (`spec.manualSelector: true`). */
export function generatesSelector(job: Job): boolean {
  return job.spec?.manualSelector !== true;
}

/**
 * The selector of a Job's pods: the given one with manualSelector, otherwise the given one plus
 * `batch.kubernetes.io/controller-uid=<uid>`, as Kubernetes' Job strategy generates it.
 */
export function jobSelector(job: Job): LabelSelector {
  const given = job.spec?.selector ?? {};
  if (!generatesSelector(job)) return given;
  return { ...given, matchLabels: { ...(given.matchLabels ?? {}), [CONTROLLER_UID_LABEL]: job.metadata.uid ?? '' } };
}

/** True when the pod still carries the tracking finalizer (it is not counted yet). */
export function hasTrackingFinalizer(pod: { metadata: { finalizers?: readonly string[] } }): boolean {
  return pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}
