/**
 * Kubernetes' defaulting of apps/v1 and batch/v1 workloads. Selectors are not defaulted
 * (apps/v1 requires them); Job templates keep their restartPolicy unset.
 */
import type { apps, batch } from '../types.js';
import { defaultPodTemplate } from './pod-spec.js';
import { jsonEqual } from '../json.js';
import { DAEMONSET_TEMPLATE_GENERATION_ANNOTATION } from '../well-known.js';

/** Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600. */
export function defaultDeployment(d: { spec?: apps.DeploymentSpec }): void {
  const spec = d.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ||= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.minReadySeconds ??= 0;
  defaultPodTemplate(spec.template);
}

/** ReplicaSet: replicas 1. */
export function defaultReplicaSet(rs: { spec?: apps.ReplicaSetSpec }): void {
  if (!rs.spec) return;
  rs.spec.replicas ??= 1;
  defaultPodTemplate(rs.spec.template);
}

/** StatefulSet: replicas 1, OrderedReady, RollingUpdate partition 0, revisionHistoryLimit 10, PVC retention Retain. */
export function defaultStatefulSet(s: { spec?: apps.StatefulSetSpec }): void {
  const spec = s.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  spec.podManagementPolicy ||= 'OrderedReady';
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ||= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain';
  for (const pvc of spec.volumeClaimTemplates ?? []) {
    pvc.spec ??= {};
    pvc.spec.volumeMode ||= 'Filesystem';
  }
  defaultPodTemplate(spec.template);
}

function templateGeneration(ds: { metadata?: { annotations?: Record<string, string> } } | undefined): number | undefined {
  const v = ds?.metadata?.annotations?.[DAEMONSET_TEMPLATE_GENERATION_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/**
 * DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10, and
 * the template generation annotation (1 on create, +1 on update when spec.template changed, as
 * the DaemonSet strategy's PrepareForCreate/PrepareForUpdate).
 */
export function defaultDaemonSet(
  ds: { metadata?: { annotations?: Record<string, string> }; spec?: apps.DaemonSetSpec },
  old?: { metadata?: { annotations?: Record<string, string> }; spec?: apps.DaemonSetSpec },
): void {
  const spec = ds.spec;
  if (!spec) return;
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ||= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.minReadySeconds ??= 0;
  defaultPodTemplate(spec.template);
  if (!ds.metadata) return;
  let generation: number;
  if (!old) generation = 1;
  else {
    const before = templateGeneration(old) ?? 1;
    generation = jsonEqual(old.spec?.template, spec.template) ? before : before + 1;
  }
  ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [DAEMONSET_TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
}

/** Fills a JobSpec: parallelism and completions 1 when both unset, backoffLimit 6 (MaxInt32 with backoffLimitPerIndex), NonIndexed, suspend false. */
export function defaultJobSpec(spec: batch.JobSpec | undefined): void {
  if (!spec) return;
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  // With backoffLimitPerIndex, the Job-wide limit is off unless given (Kubernetes defaults it to MaxInt32).
  if (spec.backoffLimit == null) spec.backoffLimit = spec.backoffLimitPerIndex == null ? 6 : 2147483647;
  spec.completionMode ||= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ||= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  // SetDefaults_PodFailurePolicyOnPodConditionsPattern: a pod-condition pattern's status is True unless given.
  for (const rule of Array.isArray(spec.podFailurePolicy?.rules) ? spec.podFailurePolicy.rules : []) {
    for (const pattern of Array.isArray(rule?.onPodConditions) ? rule.onPodConditions : []) {
      if (pattern && typeof pattern === 'object') pattern.status ||= 'True';
    }
  }
  defaultPodTemplate(spec.template, { defaultRestartPolicy: false });
}

/** Job: the JobSpec defaults. */
export function defaultJob(job: { spec?: batch.JobSpec }): void {
  defaultJobSpec(job.spec);
}

/** CronJob: Allow, suspend false, history limits 3/1; the job template's pod spec defaulted. */
export function defaultCronJob(cj: { spec?: batch.CronJobSpec }): void {
  const spec = cj.spec;
  if (!spec) return;
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  spec.jobTemplate ??= {};
  spec.jobTemplate.metadata ??= {};
  defaultPodTemplate(spec.jobTemplate.spec?.template, { defaultRestartPolicy: false });
}
