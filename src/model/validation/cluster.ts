/** Validation of storage, policy and scheduling kinds: PVC, PV, PDB, HPA, PriorityClass. */
import type { autoscaling, core, policy, StatusCause } from '../types.js';
import { invalid, notSupported, required } from './field-errors.js';
import { isObject } from './common.js';
import { validateIntOrPercent } from './workloads.js';
import { validateLabels } from '../names.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function validateAccessModes(modes: string[] | undefined, field: string): StatusCause[] {
  if (!modes || modes.length === 0) return [required(field)];
  return modes.filter((m) => !ACCESS_MODES.includes(m)).map((m) => notSupported(field, m, ACCESS_MODES));
}

/** Checks a PersistentVolumeClaim: access modes and a storage request. */
export function validatePersistentVolumeClaim(pvc: { spec?: core.PersistentVolumeClaimSpec }): StatusCause[] {
  const spec = pvc.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes = validateAccessModes(spec.accessModes, 'spec.accessModes');
  if (!spec.resources?.requests?.storage) causes.push(required('spec.resources[storage]'));
  if (spec.volumeMode !== undefined && !['Block', 'Filesystem'].includes(spec.volumeMode))
    causes.push(notSupported('spec.volumeMode', spec.volumeMode, ['Block', 'Filesystem']));
  return causes;
}

/** Checks a PersistentVolume: access modes, capacity, reclaim policy. */
export function validatePersistentVolume(pv: { spec?: core.PersistentVolumeSpec }): StatusCause[] {
  const spec = pv.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes = validateAccessModes(spec.accessModes, 'spec.accessModes');
  if (!spec.capacity?.storage) causes.push(required('spec.capacity'));
  const policies = ['Delete', 'Recycle', 'Retain'];
  if (spec.persistentVolumeReclaimPolicy !== undefined && !policies.includes(spec.persistentVolumeReclaimPolicy)) {
    causes.push(notSupported('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, policies));
  }
  return causes;
}

/** Checks a PodDisruptionBudget: one of minAvailable and maxUnavailable, a valid selector. */
export function validatePodDisruptionBudget(pdb: { spec?: policy.PodDisruptionBudgetSpec }): StatusCause[] {
  const spec = pdb.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    causes.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  validateIntOrPercent(spec.minAvailable, 'spec.minAvailable', causes);
  validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable', causes);
  if (spec.selector) causes.push(...validateLabels(spec.selector.matchLabels, 'spec.selector.matchLabels'));
  return causes;
}

/** Checks a HorizontalPodAutoscaler: target reference and replica bounds. */
export function validateHorizontalPodAutoscaler(hpa: { spec?: autoscaling.HorizontalPodAutoscalerSpec }): StatusCause[] {
  const spec = hpa.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  if (!spec.scaleTargetRef?.kind) causes.push(required('spec.scaleTargetRef.kind'));
  if (!spec.scaleTargetRef?.name) causes.push(required('spec.scaleTargetRef.name'));
  if (spec.minReplicas !== undefined && spec.minReplicas < 1)
    causes.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if (typeof spec.maxReplicas !== 'number' || spec.maxReplicas < 1)
    causes.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than 0'));
  else if (spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas) {
    causes.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  return causes;
}

/** Checks a PriorityClass: value required and at most one billion for user classes. */
export function validatePriorityClass(pc: { value?: number; metadata: { name?: string }; preemptionPolicy?: string }): StatusCause[] {
  const causes: StatusCause[] = [];
  if (typeof pc.value !== 'number') causes.push(required('value'));
  else if (pc.value > 1_000_000_000 && !pc.metadata.name?.startsWith('system-')) {
    causes.push(invalid('value', pc.value, 'must be less than or equal to 1000000000'));
  }
  if (pc.preemptionPolicy !== undefined && !['Never', 'PreemptLowerPriority'].includes(pc.preemptionPolicy)) {
    causes.push(notSupported('preemptionPolicy', pc.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  }
  return causes;
}
