/**
 * The pure decisions of Kubernetes' persistentvolume controller: the class a claim asks for
 * (the default StorageClass for a claim that names none), which volume fits a claim (storage
 * class, access modes, volume mode, capacity, selector; the smallest that fits), the binding
 * written on both sides, the volume a provisioner is asked for, and a volume's phase.
 */
import type { PersistentVolume, PersistentVolumeClaim, StorageClass, core } from '../../model/types.js';
import { quantityToMilli } from '../../model/quantity.js';
import { labelSelectorAsSelector } from '../../model/selector.js';
import { DEFAULT_STORAGE_CLASS_ANNOTATION } from '../../cloud-providers/types.js';
import { PROVISIONED_BY_ANNOTATION } from '../../model/well-known.js';

/** Annotation on a bound claim: the binding is complete. */
export const BIND_COMPLETED_ANNOTATION = 'pv.kubernetes.io/bind-completed';
/** Annotation on either side: the controller (not the user) wrote the binding. */
export const BOUND_BY_CONTROLLER_ANNOTATION = 'pv.kubernetes.io/bound-by-controller';
export { PROVISIONED_BY_ANNOTATION };
/** Annotation on a claim: the node its first pod was scheduled to (WaitForFirstConsumer). */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
/** Annotation on a claim: the provisioner asked to make its volume. */
export const STORAGE_PROVISIONER_ANNOTATION = 'volume.kubernetes.io/storage-provisioner';

/** The default StorageClass (annotated default; the newest when several are), if any. */
export function defaultStorageClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.[DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true');
  return defaults.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0];
}

/** The storage a claim requests, in milli-bytes (0 when none). */
export function requestedStorage(pvc: PersistentVolumeClaim): number {
  return quantityToMilli(pvc.spec?.resources?.requests?.storage ?? 0);
}

/** True when the volume can hold the claim (checkVolumeSatisfyClaim plus the selector and class). */
export function volumeFits(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  if (pv.metadata.deletionTimestamp) return false;
  if ((pv.spec?.storageClassName ?? '') !== (pvc.spec?.storageClassName ?? '')) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = new Set(pv.spec?.accessModes ?? []);
  if (!(pvc.spec?.accessModes ?? []).every((m) => modes.has(m))) return false;
  if (quantityToMilli(pv.spec?.capacity?.storage ?? 0) < requestedStorage(pvc)) return false;
  if (pvc.spec?.selector && !labelSelectorAsSelector(pvc.spec.selector).matches(pv.metadata.labels)) return false;
  return true;
}

/** True when the volume's claimRef names this claim (and its uid, when the ref has one). */
export function claimRefMatches(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  return (
    !!ref &&
    ref.name === pvc.metadata.name &&
    (ref.namespace ?? '') === (pvc.metadata.namespace ?? '') &&
    (!ref.uid || ref.uid === pvc.metadata.uid)
  );
}

/**
 * The volume to bind a claim to (findBestMatchForClaim): one pre-bound to it, else the smallest
 * unclaimed volume that fits. A claim with spec.volumeName only takes that volume.
 */
export function findVolumeFor(pvc: PersistentVolumeClaim, pvs: readonly PersistentVolume[]): PersistentVolume | undefined {
  const wanted = pvc.spec?.volumeName;
  const candidates = wanted ? pvs.filter((pv) => pv.metadata.name === wanted) : pvs;
  const preBound = candidates.find((pv) => claimRefMatches(pv, pvc) && volumeFits(pv, pvc));
  if (preBound) return preBound;
  let best: PersistentVolume | undefined;
  for (const pv of candidates) {
    if (pv.spec?.claimRef || pv.status?.phase === 'Released' || pv.status?.phase === 'Failed' || !volumeFits(pv, pvc)) continue;
    if (!best || quantityToMilli(pv.spec?.capacity?.storage ?? 0) < quantityToMilli(best.spec?.capacity?.storage ?? 0)) best = pv;
  }
  return best;
}

/** The claimRef a volume bound to `pvc` carries. */
export function claimRefOf(pvc: PersistentVolumeClaim): core.ObjectReference {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    namespace: pvc.metadata.namespace,
    name: pvc.metadata.name,
    uid: pvc.metadata.uid,
  };
}

/** The name Kubernetes gives a provisioned volume: `pvc-<claim uid>`. */
export function provisionedVolumeName(pvc: PersistentVolumeClaim): string {
  return `pvc-${pvc.metadata.uid ?? pvc.metadata.name}`;
}

/** The PersistentVolume to create for a claim from what a provisioner made. */
export function provisionedVolume(
  pvc: PersistentVolumeClaim,
  sc: StorageClass,
  source: Pick<core.PersistentVolumeSpec, 'hostPath' | 'local' | 'csi'>,
  nodeAffinity?: core.VolumeNodeAffinity,
): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: provisionedVolumeName(pvc),
      annotations: { [PROVISIONED_BY_ANNOTATION]: sc.provisioner, [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' },
    },
    spec: {
      ...source,
      capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '0' },
      accessModes: [...(pvc.spec?.accessModes ?? ['ReadWriteOnce'])],
      volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
      storageClassName: sc.metadata.name,
      persistentVolumeReclaimPolicy: (sc.reclaimPolicy as 'Delete' | 'Retain' | undefined) ?? 'Delete',
      claimRef: claimRefOf(pvc),
      ...(sc.mountOptions ? { mountOptions: [...sc.mountOptions] } : {}),
      ...(nodeAffinity ? { nodeAffinity } : {}),
    },
  };
}

/**
 * The phase a volume should have (syncVolume): Available with no claimRef; Bound while the claim
 * it names exists (with its uid) and points back or is not yet bound elsewhere; Released once
 * that claim is gone or bound to another volume.
 */
export function volumePhase(
  pv: PersistentVolume,
  claim: PersistentVolumeClaim | undefined,
): 'Available' | 'Bound' | 'Released' | undefined {
  const ref = pv.spec?.claimRef;
  if (!ref) return 'Available';
  if (!claim || (ref.uid && claim.metadata.uid !== ref.uid)) return ref.uid ? 'Released' : 'Available';
  const other = claim.spec?.volumeName;
  if (other && other !== pv.metadata.name) return 'Released';
  return other === pv.metadata.name ? 'Bound' : undefined;
}
