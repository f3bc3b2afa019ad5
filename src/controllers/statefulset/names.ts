/**
 * Names of the StatefulSet controller: the kinds it reads and writes, its component name, the
 * labels it puts on pods, and the stable names of a set's pods (`web-0`) and claims
 * (`www-web-0`), as Kubernetes' stateful_set_utils.
 */
import type { OwnerReference, StatefulSet, core } from '../../model/types.js';
import { controllerRef } from '../util/controller-ref.js';

/** The StatefulSet kind. */
export const STATEFULSET = { apiVersion: 'apps/v1', kind: 'StatefulSet' } as const;
/** The ControllerRevision kind (a StatefulSet's history). */
export const CONTROLLER_REVISION = { apiVersion: 'apps/v1', kind: 'ControllerRevision' } as const;
/** The Pod kind. */
export const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
/** The PersistentVolumeClaim kind. */
export const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' } as const;
/** The component name on Events, as kube-controller-manager names it. */
export const STATEFULSET_COMPONENT = 'statefulset-controller';

/** Pod label: the pod's own name (apps.StatefulSetPodNameLabel), so a Service can select one pod. */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** Pod label: the pod's ordinal (apps.PodIndexLabel). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The controller reference a StatefulSet puts on its pods and revisions. */
export function statefulSetOwnerRef(set: StatefulSet): OwnerReference {
  return controllerRef({ ...STATEFULSET, metadata: set.metadata });
}

/** The name of the set's pod of `ordinal`: `<set>-<ordinal>`. */
export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name ?? ''}-${ordinal}`;
}

/** The name of the claim of `template` for the pod of `ordinal`: `<template>-<set>-<ordinal>`. */
export function claimName(set: StatefulSet, template: core.PersistentVolumeClaim, ordinal: number): string {
  return `${template.metadata?.name ?? ''}-${podName(set, ordinal)}`;
}

const ORDINAL = /^(.*)-([0-9]+)$/;

/** The parent name and ordinal a pod's name encodes (getParentNameAndOrdinal); ordinal -1 when it encodes none. */
export function parentAndOrdinal(name: string | undefined): { parent: string; ordinal: number } {
  const m = ORDINAL.exec(name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number.parseInt(m[2], 10);
  return Number.isSafeInteger(n) && n <= 2_147_483_647 ? { parent: m[1], ordinal: n } : { parent: '', ordinal: -1 };
}

/** The ordinal of a pod, or -1 when its name has none. */
export function ordinalOf(pod: { metadata: { name?: string } }): number {
  return parentAndOrdinal(pod.metadata.name).ordinal;
}

/** True when the pod's name makes it a member of the set (isMemberOf). */
export function isMemberOf(set: StatefulSet, pod: { metadata: { name?: string } }): boolean {
  return parentAndOrdinal(pod.metadata.name).parent === set.metadata.name;
}

/** The first ordinal of the set (spec.ordinals.start). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** The desired replicas (spec.replicas, default 1). */
export function replicasOf(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

/** True when the ordinal is in [start, start + replicas). */
export function inOrdinalRange(set: StatefulSet, ordinal: number): boolean {
  const start = startOrdinal(set);
  return ordinal >= start && ordinal < start + replicasOf(set);
}

/** The namespace/name key of a StatefulSet. */
export { ownerKey as setKey } from '../util/owned-pods.js';
