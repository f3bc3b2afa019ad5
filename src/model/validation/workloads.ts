/** Validation of apps/v1 workloads: Deployment, ReplicaSet, StatefulSet, DaemonSet. */
import type { apps, core, StatusCause } from '../types.js';
import { validateLabels } from '../names.js';
import { forbidden, invalid, notSupported, required } from './field-errors.js';
import { isObject, validateNonNegative } from './common.js';
import { validatePodSpec } from './pod-spec.js';
import { validateSelectorMatchesTemplate } from './selector-match.js';

const PERCENT_RE = /^[0-9]+%$/;

/** Checks an int-or-percent (maxSurge, maxUnavailable) and returns its numeric part, or undefined when invalid. */
export function validateIntOrPercent(v: unknown, field: string, causes: StatusCause[]): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) return void causes.push(invalid(field, v, 'must be greater than or equal to 0'));
    return v;
  }
  if (typeof v === 'string' && PERCENT_RE.test(v)) {
    const n = Number(v.slice(0, -1));
    if (n > 100) return void causes.push(invalid(field, v, 'must not be greater than 100%'));
    return n;
  }
  causes.push(
    invalid(
      field,
      v,
      "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ),
  );
  return undefined;
}

function validateRollingUpdate(ru: apps.RollingUpdateDeployment | apps.RollingUpdateDaemonSet | undefined, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!ru) return causes;
  const unavailable = validateIntOrPercent(ru.maxUnavailable, `${field}.maxUnavailable`, causes);
  const surge = validateIntOrPercent(ru.maxSurge, `${field}.maxSurge`, causes);
  if (unavailable === 0 && (surge === 0 || ru.maxSurge === undefined)) {
    causes.push(invalid(`${field}.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  return causes;
}

/** The checks shared by all pod-template workloads: replicas, selector/labels, template. */
function validateTemplateWorkload(
  spec: { replicas?: number; selector?: apps.DeploymentSpec['selector']; template?: core.PodTemplateSpec } | undefined,
  hasReplicas: boolean,
  claimTemplateVolumes?: readonly string[],
): StatusCause[] {
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  if (hasReplicas) causes.push(...validateNonNegative(spec.replicas, 'spec.replicas'));
  if (!spec.template) {
    causes.push(required('spec.template'));
    if (!spec.selector) causes.push(required('spec.selector'));
    return causes;
  }
  causes.push(...validateLabels(spec.template.metadata?.labels, 'spec.template.metadata.labels'));
  causes.push(
    ...validateSelectorMatchesTemplate(spec.selector, spec.template.metadata?.labels, {
      selector: 'spec.selector',
      templateLabels: 'spec.template.metadata.labels',
    }),
  );
  causes.push(...validatePodSpec(spec.template.spec, 'spec.template.spec', { restartPolicies: ['Always'], claimTemplateVolumes }));
  return causes;
}

/** Checks a Deployment's spec. */
export function validateDeployment(d: { spec?: apps.DeploymentSpec }): StatusCause[] {
  const spec = d.spec;
  const causes = validateTemplateWorkload(spec, true);
  if (!spec) return causes;
  const st = spec.strategy;
  if (st?.type !== undefined && st.type !== 'Recreate' && st.type !== 'RollingUpdate') {
    causes.push(notSupported('spec.strategy.type', st.type, ['Recreate', 'RollingUpdate']));
  }
  if (st?.type === 'Recreate' && st.rollingUpdate)
    causes.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  causes.push(...validateRollingUpdate(st?.rollingUpdate, 'spec.strategy.rollingUpdate'));
  causes.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  causes.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  causes.push(...validateNonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
  if (spec.progressDeadlineSeconds != null && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
    causes.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return causes;
}

/** Checks a ReplicaSet's spec. */
export function validateReplicaSet(rs: { spec?: apps.ReplicaSetSpec }): StatusCause[] {
  const causes = validateTemplateWorkload(rs.spec, true);
  if (rs.spec) causes.push(...validateNonNegative(rs.spec.minReadySeconds, 'spec.minReadySeconds'));
  return causes;
}

/** Checks a StatefulSet's spec. */
export function validateStatefulSet(s: { spec?: apps.StatefulSetSpec }): StatusCause[] {
  const spec = s.spec;
  // Containers may mount the volumes of volumeClaimTemplates: the controller adds one per claim to each pod.
  const claims = Array.isArray(spec?.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  const claimVolumes = claims.flatMap((t) => (isObject(t) && typeof t.metadata?.name === 'string' ? [t.metadata.name] : []));
  const causes = validateTemplateWorkload(spec, true, claimVolumes);
  if (!spec) return causes;
  if (spec.podManagementPolicy !== undefined && !['OrderedReady', 'Parallel'].includes(spec.podManagementPolicy)) {
    causes.push(notSupported('spec.podManagementPolicy', spec.podManagementPolicy, ['OrderedReady', 'Parallel']));
  }
  const us = spec.updateStrategy;
  if (us?.type !== undefined && !['RollingUpdate', 'OnDelete'].includes(us.type)) {
    causes.push(notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
  }
  if (us?.type === 'OnDelete' && us.rollingUpdate)
    causes.push(forbidden('spec.updateStrategy.rollingUpdate', "only allowed for updateStrategy 'RollingUpdate'"));
  if (us?.rollingUpdate) {
    causes.push(...validateNonNegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
    if (us.rollingUpdate.maxUnavailable !== undefined) {
      const n = validateIntOrPercent(us.rollingUpdate.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable', causes);
      if (n === 0)
        causes.push(invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', us.rollingUpdate.maxUnavailable, 'must be greater than 0'));
    }
  }
  causes.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  causes.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  causes.push(...validateNonNegative(spec.ordinals?.start, 'spec.ordinals.start'));
  const policy = spec.persistentVolumeClaimRetentionPolicy;
  for (const k of ['whenDeleted', 'whenScaled'] as const) {
    const v = policy?.[k];
    if (v !== undefined && !['Retain', 'Delete'].includes(v))
      causes.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v, ['Retain', 'Delete']));
  }
  (spec.volumeClaimTemplates ?? []).forEach((t, i) => {
    if (!t.metadata?.name) causes.push(required(`spec.volumeClaimTemplates[${i}].metadata.name`));
  });
  return causes;
}

/** Checks a DaemonSet's spec. */
export function validateDaemonSet(ds: { spec?: apps.DaemonSetSpec }): StatusCause[] {
  const spec = ds.spec;
  const causes = validateTemplateWorkload(spec, false);
  if (!spec) return causes;
  const us = spec.updateStrategy;
  if (us?.type !== undefined && !['RollingUpdate', 'OnDelete'].includes(us.type)) {
    causes.push(notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
  }
  causes.push(...validateRollingUpdate(us?.rollingUpdate, 'spec.updateStrategy.rollingUpdate'));
  causes.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  causes.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  return causes;
}
