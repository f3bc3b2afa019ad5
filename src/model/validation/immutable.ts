/**
 * Update checks: the fields Kubernetes refuses to change once an object exists.
 * Each function takes the new and the old object and returns the causes.
 */
import type { apps, batch, core, StatusCause } from '../types.js';
import { forbidden, immutable } from './field-errors.js';
import { jsonEqual } from '../json.js';
import { parseQuantity } from '../quantity.js';

type WithSpec<S> = { spec?: S };

/** Deployment, ReplicaSet, DaemonSet: spec.selector is immutable. */
export function validateSelectorUpdate(obj: WithSpec<{ selector?: unknown }>, old: WithSpec<{ selector?: unknown }>): StatusCause[] {
  return jsonEqual(obj.spec?.selector, old.spec?.selector) ? [] : [immutable('spec.selector', obj.spec?.selector)];
}

const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** StatefulSet: only replicas, ordinals, template, updateStrategy, PVC retention and minReadySeconds may change. */
export function validateStatefulSetUpdate(obj: WithSpec<apps.StatefulSetSpec>, old: WithSpec<apps.StatefulSetSpec>): StatusCause[] {
  const strip = (s: apps.StatefulSetSpec | undefined) =>
    Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !STS_MUTABLE.includes(k)));
  if (jsonEqual(strip(obj.spec), strip(old.spec))) return [];
  return [
    forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

/** Job: spec.selector, spec.template and spec.completionMode are immutable. */
export function validateJobUpdate(obj: WithSpec<batch.JobSpec>, old: WithSpec<batch.JobSpec>): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!jsonEqual(obj.spec?.selector, old.spec?.selector)) causes.push(immutable('spec.selector', obj.spec?.selector));
  if (!jsonEqual(obj.spec?.template, old.spec?.template)) causes.push(immutable('spec.template', obj.spec?.template));
  if (obj.spec?.completionMode !== old.spec?.completionMode) causes.push(immutable('spec.completionMode', obj.spec?.completionMode));
  return causes;
}

/**
 * Pod: the spec may change only in container images, activeDeadlineSeconds and additions
 * to tolerations.
 */
export function validatePodUpdate(obj: WithSpec<core.PodSpec>, old: WithSpec<core.PodSpec>): StatusCause[] {
  const next = obj.spec ?? ({} as core.PodSpec);
  const prev = old.spec ?? ({} as core.PodSpec);
  const causes: StatusCause[] = [];
  const oldTol = prev.tolerations ?? [];
  const newTol = next.tolerations ?? [];
  if (!oldTol.every((t) => newTol.some((n) => jsonEqual(n, t)))) {
    causes.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  if (
    prev.activeDeadlineSeconds !== undefined &&
    (next.activeDeadlineSeconds === undefined || next.activeDeadlineSeconds > prev.activeDeadlineSeconds)
  ) {
    causes.push({
      field: 'spec.activeDeadlineSeconds',
      message: `Invalid value: ${next.activeDeadlineSeconds ?? 'null'}: must be less than or equal to previous value`,
      reason: 'FieldValueInvalid',
    });
  }
  const mask = (s: core.PodSpec) => ({
    ...s,
    containers: (s.containers ?? []).map((c) => ({ ...c, image: undefined })),
    initContainers: (s.initContainers ?? []).map((c) => ({ ...c, image: undefined })),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
  });
  if (!jsonEqual(mask(next), mask(prev))) {
    causes.push(
      forbidden(
        'spec',
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations)',
      ),
    );
  }
  return causes;
}

/** Service: spec.clusterIP may not change once set. */
export function validateServiceUpdate(obj: WithSpec<core.ServiceSpec>, old: WithSpec<core.ServiceSpec>): StatusCause[] {
  const prev = old.spec?.clusterIP;
  const next = obj.spec?.clusterIP;
  if (prev && next !== prev && old.spec?.type !== 'ExternalName' && obj.spec?.type !== 'ExternalName') {
    return [immutable('spec.clusterIP', next ?? '')];
  }
  return [];
}

/** PersistentVolumeClaim: the spec is immutable except resources.requests. */
export function validatePersistentVolumeClaimUpdate(
  obj: WithSpec<core.PersistentVolumeClaimSpec>,
  old: WithSpec<core.PersistentVolumeClaimSpec>,
): StatusCause[] {
  const mask = (s: core.PersistentVolumeClaimSpec | undefined) => ({
    ...(s ?? {}),
    resources: { ...(s?.resources ?? {}), requests: undefined },
    volumeName: old.spec?.volumeName ? s?.volumeName : undefined,
    // An unset class may be set once (the default class, assigned retroactively as Kubernetes 1.28+ does).
    storageClassName: old.spec?.storageClassName === undefined ? undefined : s?.storageClassName,
  });
  const spec = () =>
    forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
  if (!jsonEqual(mask(obj.spec), mask(old.spec))) return [spec()];
  // Requests change only on bound claims; storage never shrinks (without RecoverVolumeExpansionFailure, as 1.30's default).
  const size = (s: core.PersistentVolumeClaimSpec | undefined) => s?.resources?.requests?.storage;
  const bound = (old as { status?: { phase?: string } }).status?.phase === 'Bound';
  if (!bound && !jsonEqual(obj.spec?.resources?.requests, old.spec?.resources?.requests)) return [spec()];
  const next = size(obj.spec);
  const prev = size(old.spec);
  if (next !== undefined && prev !== undefined && quantityCmp(next, prev) < 0)
    return [forbidden('spec.resources.requests.storage', 'field can not be less than previous value')];
  return [];
}

function quantityCmp(a: string, b: string): number {
  try {
    return parseQuantity(a).cmp(b);
  } catch {
    return 0; // an invalid quantity is reported by the field validation
  }
}

/** Secret and ConfigMap: `immutable: true` freezes data; the type of a Secret never changes. */
export function validateConfigUpdate(obj: Record<string, unknown>, old: Record<string, unknown>): StatusCause[] {
  const causes: StatusCause[] = [];
  if (old.immutable === true) {
    if (obj.immutable !== true) causes.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    for (const k of ['data', 'binaryData', 'stringData']) {
      if (k in old || k in obj)
        if (!jsonEqual(obj[k], old[k]) && k !== 'stringData') causes.push(forbidden(k, 'field is immutable when `immutable` is set'));
    }
  }
  if (old.kind === 'Secret' && (obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) causes.push(immutable('type', obj.type));
  return causes;
}
