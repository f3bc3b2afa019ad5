/** Validation of batch/v1 Jobs and CronJobs. */
import type { batch, ObjectMeta, StatusCause } from '../types.js';
import { validateLabels } from '../names.js';
import { invalid, notSupported, required } from './field-errors.js';
import { isObject, validateNonNegative, validatePositive } from './common.js';
import { validatePodSpec } from './pod-spec.js';
import { validateSelectorMatchesTemplate } from './selector-match.js';
import { cronScheduleErrors } from './cron.js';

/** Checks a JobSpec at `field` (`spec` for a Job, `spec.jobTemplate.spec` for a CronJob). */
export function validateJobSpec(spec: batch.JobSpec | undefined, field: string): StatusCause[] {
  if (!isObject(spec)) return [required(field)];
  const causes: StatusCause[] = [];
  causes.push(...validateNonNegative(spec.parallelism, `${field}.parallelism`));
  causes.push(...validateNonNegative(spec.completions, `${field}.completions`));
  causes.push(...validateNonNegative(spec.backoffLimit, `${field}.backoffLimit`));
  causes.push(...validatePositive(spec.activeDeadlineSeconds, `${field}.activeDeadlineSeconds`));
  causes.push(...validateNonNegative(spec.ttlSecondsAfterFinished, `${field}.ttlSecondsAfterFinished`));
  if (spec.completionMode !== undefined && !['NonIndexed', 'Indexed'].includes(spec.completionMode)) {
    causes.push(notSupported(`${field}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
  }
  if (spec.completionMode === 'Indexed' && spec.completions == null) {
    causes.push(required(`${field}.completions`, 'when completion mode is Indexed'));
  }
  if (!spec.template) return [...causes, required(`${field}.template`)];
  causes.push(...validateLabels(spec.template.metadata?.labels, `${field}.template.metadata.labels`));
  // The API layer generates the selector of a Job when it is absent; a given one must match.
  causes.push(
    ...validateSelectorMatchesTemplate(spec.selector, spec.template.metadata?.labels, {
      selector: `${field}.selector`,
      templateLabels: `${field}.template.metadata.labels`,
    }, false),
  );
  causes.push(...validatePodSpec(spec.template.spec, `${field}.template.spec`, { restartPolicies: ['OnFailure', 'Never'] }));
  return causes;
}

/** Checks a Job. */
export function validateJob(job: { spec?: batch.JobSpec }): StatusCause[] {
  return validateJobSpec(job.spec, 'spec');
}

/** Checks a CronJob: name length (52), schedule syntax, policies, limits and the job template. */
export function validateCronJob(cj: { metadata: ObjectMeta; spec?: batch.CronJobSpec }): StatusCause[] {
  const causes: StatusCause[] = [];
  if (cj.metadata?.name && cj.metadata.name.length > 52) causes.push(invalid('metadata.name', cj.metadata.name, 'must be no more than 52 characters'));
  const spec = cj.spec;
  if (!isObject(spec)) return [...causes, required('spec')];
  if (!spec.schedule) causes.push(required('spec.schedule'));
  else for (const m of cronScheduleErrors(spec.schedule)) causes.push(invalid('spec.schedule', spec.schedule, m));
  if (spec.concurrencyPolicy !== undefined && !['Allow', 'Forbid', 'Replace'].includes(spec.concurrencyPolicy)) {
    causes.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']));
  }
  causes.push(...validateNonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  causes.push(...validateNonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  causes.push(...validateNonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  if (!spec.jobTemplate) causes.push(required('spec.jobTemplate'));
  else causes.push(...validateJobSpec(spec.jobTemplate.spec, 'spec.jobTemplate.spec'));
  return causes;
}
