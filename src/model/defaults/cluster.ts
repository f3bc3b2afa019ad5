/** Kubernetes' defaulting of cluster-level and storage kinds: Namespace, Secret, volumes, classes, HPA. */
import type { core, storage, scheduling, autoscaling, ObjectMeta } from '../types.js';
import { LABEL_METADATA_NAME } from '../well-known.js';

/** Namespace: status.phase Active and the `kubernetes.io/metadata.name` label. */
export function defaultNamespace(ns: { metadata: ObjectMeta; status?: core.NamespaceStatus }): void {
  ns.status ??= {};
  ns.status.phase ||= 'Active';
  if (ns.metadata.name) {
    ns.metadata.labels ??= {};
    ns.metadata.labels[LABEL_METADATA_NAME] = ns.metadata.name;
  }
}

/** Secret: type Opaque; stringData merged into data (base64) and dropped. */
export function defaultSecret(s: {
  type?: string;
  data?: Record<string, string> | null;
  stringData?: Record<string, unknown> | null;
}): void {
  s.type ||= 'Opaque';
  // stringData is write-only: merged into data (base64), its keys winning, and never stored (as v1's conversion does).
  const stringData = s.stringData;
  if (stringData !== undefined) {
    if (stringData !== null && typeof stringData === 'object' && !Array.isArray(stringData)) {
      const data: Record<string, string> = { ...(s.data ?? {}) };
      for (const [k, v] of Object.entries(stringData)) {
        if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
      }
      s.data = data;
    }
    delete s.stringData;
  }
}

/** PersistentVolume: reclaim policy Retain, volumeMode Filesystem, phase Pending. */
export function defaultPersistentVolume(pv: { spec?: core.PersistentVolumeSpec; status?: core.PersistentVolumeStatus }): void {
  pv.spec ??= {};
  pv.spec.persistentVolumeReclaimPolicy ||= 'Retain';
  pv.spec.volumeMode ||= 'Filesystem';
  pv.status ??= {};
  pv.status.phase ||= 'Pending';
}

/** PersistentVolumeClaim: volumeMode Filesystem, phase Pending. */
export function defaultPersistentVolumeClaim(pvc: {
  spec?: core.PersistentVolumeClaimSpec;
  status?: core.PersistentVolumeClaimStatus;
}): void {
  pvc.spec ??= {};
  pvc.spec.volumeMode ||= 'Filesystem';
  pvc.status ??= {};
  pvc.status.phase ||= 'Pending';
}

/** StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate. */
export function defaultStorageClass(sc: Partial<Pick<storage.StorageClass, 'reclaimPolicy' | 'volumeBindingMode'>>): void {
  sc.reclaimPolicy ||= 'Delete';
  sc.volumeBindingMode ||= 'Immediate';
}

/** PriorityClass: preemptionPolicy PreemptLowerPriority. */
export function defaultPriorityClass(pc: Partial<Pick<scheduling.PriorityClass, 'preemptionPolicy'>>): void {
  pc.preemptionPolicy ||= 'PreemptLowerPriority';
}

/** HorizontalPodAutoscaler (v2): minReplicas 1, and CPU utilization 80% when no metric is given. */
export function defaultHorizontalPodAutoscaler(hpa: { spec?: autoscaling.HorizontalPodAutoscalerSpec }): void {
  const spec = hpa.spec;
  if (!spec) return;
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
}
