/** Validation of batch/v1 Jobs and CronJobs. */
import type { batch, ObjectMeta, StatusCause } from '../types.js';
import { validateLabels } from '../names.js';
import { invalid, notSupported, required } from './field-errors.js';
import { isObject, validateNonNegative, validatePositive } from './common.js';
import { validatePodSpec } from './pod-spec.js';
import { validateSelectorMatchesTemplate } from './selector-match.js';
import { cronScheduleErrors } from './cron.js';

/** Kubernetes' maxParallelismForIndexedJob. */
const MAX_INDEXED_PARALLELISM = 100_000;
const POLICY_ACTIONS = ['Count', 'FailJob', 'FailIndex', 'Ignore'];

/** Checks spec.podFailurePolicy as Kubernetes does: at most 20 rules, one requirement each, exit codes 1-255. */
function validatePodFailurePolicy(spec: batch.JobSpec, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const rules = spec.podFailurePolicy?.rules ?? [];
  if (rules.length > 20) causes.push(invalid(`${field}.rules`, rules.length, 'must have at most 20 elements'));
  const restart = spec.template?.spec?.restartPolicy;
  if (restart !== 'Never')
    causes.push(
      invalid(
        `${field.replace(/podFailurePolicy$/, 'template.spec.restartPolicy')}`,
        restart ?? '',
        'only "Never" is supported when podFailurePolicy is specified',
      ),
    );
  const names = new Set((spec.template?.spec?.containers ?? []).concat(spec.template?.spec?.initContainers ?? []).map((c) => c.name));
  rules.forEach((rule, i) => {
    const at = `${field}.rules[${i}]`;
    if (!POLICY_ACTIONS.includes(rule.action)) causes.push(notSupported(`${at}.action`, rule.action, POLICY_ACTIONS));
    else if (rule.action === 'FailIndex' && spec.backoffLimitPerIndex == null)
      causes.push(invalid(`${at}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
    if (!!rule.onExitCodes === !!rule.onPodConditions) {
      causes.push(invalid(at, '', 'specifying one of OnExitCodes and OnPodConditions is required'));
      return;
    }
    const codes = rule.onExitCodes;
    if (codes) {
      if (!['In', 'NotIn'].includes(codes.operator))
        causes.push(notSupported(`${at}.onExitCodes.operator`, codes.operator, ['In', 'NotIn']));
      if (codes.containerName && !names.has(codes.containerName))
        causes.push(
          invalid(
            `${at}.onExitCodes.containerName`,
            codes.containerName,
            'must be one of the container or initContainer names in the pod template',
          ),
        );
      const values = codes.values ?? [];
      if (values.length === 0 || values.length > 255)
        causes.push(invalid(`${at}.onExitCodes.values`, values.length, 'at least one value is required, at most 255'));
      values.forEach((v, j) => {
        if (codes.operator === 'In' && v === 0)
          causes.push(invalid(`${at}.onExitCodes.values[${j}]`, v, 'must not be 0 for the In operator'));
        if (j > 0 && values[j - 1] >= v)
          causes.push(invalid(`${at}.onExitCodes.values[${j}]`, v, values[j - 1] === v ? 'duplicate value' : 'must be ordered'));
      });
    }
    (rule.onPodConditions ?? []).forEach((p, j) => {
      if (!['True', 'False', 'Unknown'].includes(p.status))
        causes.push(notSupported(`${at}.onPodConditions[${j}].status`, p.status, ['True', 'False', 'Unknown']));
      if (!p.type) causes.push(required(`${at}.onPodConditions[${j}].type`));
    });
  });
  return causes;
}

/** Kubernetes' maxFailedIndexesForIndexedJob and the completions limit when backoffLimitPerIndex is set. */
const MAX_FAILED_INDEXES = 100_000;
const MAX_COMPLETIONS_WITH_PER_INDEX = 100_000;

/** backoffLimitPerIndex and maxFailedIndexes: Indexed Jobs only, non-negative, maxFailedIndexes within completions. */
function validateBackoffLimitPerIndex(spec: batch.JobSpec, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  causes.push(...validateNonNegative(spec.backoffLimitPerIndex, `${field}.backoffLimitPerIndex`));
  causes.push(...validateNonNegative(spec.maxFailedIndexes, `${field}.maxFailedIndexes`));
  if (spec.backoffLimitPerIndex != null && spec.completionMode !== 'Indexed') {
    causes.push(invalid(`${field}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
  }
  if (spec.maxFailedIndexes != null) {
    if (spec.backoffLimitPerIndex == null) {
      causes.push(required(`${field}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
    }
    if (spec.maxFailedIndexes > MAX_FAILED_INDEXES) {
      causes.push(invalid(`${field}.maxFailedIndexes`, spec.maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
    }
    if (spec.completions != null && spec.maxFailedIndexes > spec.completions) {
      causes.push(invalid(`${field}.maxFailedIndexes`, spec.maxFailedIndexes, 'must be less than or equal to completions'));
    }
  }
  if (spec.backoffLimitPerIndex != null && spec.completions != null && spec.completions > MAX_COMPLETIONS_WITH_PER_INDEX) {
    causes.push(
      invalid(
        `${field}.completions`,
        spec.completions,
        `must be less than or equal to ${MAX_COMPLETIONS_WITH_PER_INDEX} when backoffLimitPerIndex is specified`,
      ),
    );
  }
  return causes;
}

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
  if (spec.completionMode === 'Indexed' && spec.parallelism != null && spec.parallelism > MAX_INDEXED_PARALLELISM) {
    causes.push(
      invalid(
        `${field}.parallelism`,
        spec.parallelism,
        `must be less than or equal to ${MAX_INDEXED_PARALLELISM} when completion mode is Indexed`,
      ),
    );
  }
  causes.push(...validateBackoffLimitPerIndex(spec, field));
  if (spec.podFailurePolicy !== undefined) causes.push(...validatePodFailurePolicy(spec, `${field}.podFailurePolicy`));
  if (!spec.template) return [...causes, required(`${field}.template`)];
  causes.push(...validateLabels(spec.template.metadata?.labels, `${field}.template.metadata.labels`));
  // The API layer generates the selector of a Job when it is absent; a given one must match.
  causes.push(
    ...validateSelectorMatchesTemplate(
      spec.selector,
      spec.template.metadata?.labels,
      {
        selector: `${field}.selector`,
        templateLabels: `${field}.template.metadata.labels`,
      },
      false,
    ),
  );
  causes.push(...validatePodSpec(spec.template.spec, `${field}.template.spec`, { restartPolicies: ['OnFailure', 'Never'] }));
  return causes;
}

/** Checks a Job. */
export function validateJob(job: { spec?: batch.JobSpec }): StatusCause[] {
  return validateJobSpec(job.spec, 'spec');
}

/** Kubernetes' validateTimeZone: an explicit IANA name (not empty, not "Local"). */
function validateTimeZone(tz: string): StatusCause[] {
  if (tz === '') return [invalid('spec.timeZone', tz, 'timeZone must be nil or non-empty string')];
  if (tz.toLowerCase() === 'local')
    return [invalid('spec.timeZone', tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    // Zone names are case-sensitive (Go loads them from files): "america/new_york" is unknown.
    if (resolved !== tz && resolved.toLowerCase() === tz.toLowerCase()) throw new RangeError(tz);
    if (/^[+-]/.test(tz)) throw new RangeError(tz);
    return [];
  } catch {
    return [invalid('spec.timeZone', tz, `unknown time zone ${tz}`)];
  }
}

/** Checks a CronJob: name length (52), schedule syntax, policies, limits and the job template. */
export function validateCronJob(cj: { metadata: ObjectMeta; spec?: batch.CronJobSpec }): StatusCause[] {
  const causes: StatusCause[] = [];
  if (cj.metadata?.name && cj.metadata.name.length > 52)
    causes.push(invalid('metadata.name', cj.metadata.name, 'must be no more than 52 characters'));
  const spec = cj.spec;
  if (!isObject(spec)) return [...causes, required('spec')];
  if (!spec.schedule) causes.push(required('spec.schedule'));
  else {
    for (const m of cronScheduleErrors(spec.schedule)) causes.push(invalid('spec.schedule', spec.schedule, m));
    // Kubernetes' validateScheduleFormat rejects TZ anywhere in a new schedule.
    if (spec.schedule.includes('TZ') && !/^(CRON_)?TZ=/.test(spec.schedule.trim())) {
      causes.push(invalid('spec.schedule', spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    }
  }
  if (spec.timeZone != null) causes.push(...validateTimeZone(spec.timeZone));
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
