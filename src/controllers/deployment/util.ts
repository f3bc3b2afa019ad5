/**
 * Deployment helpers shared by the planner and the sync loop (Kubernetes' deployment/util).
 */
import type { apps, Deployment, ReplicaSet } from '../../model/types.js';
import { timeMs } from '../util/time.js';
import { equalIgnoreHash } from '../util/template-hash.js';

/** The template of a Deployment or ReplicaSet. */
export type PodTemplate = NonNullable<apps.DeploymentSpec['template']>;

/** Spec replicas of an RS (Kubernetes defaults an absent value to 1). */
export function rsReplicas(rs: ReplicaSet | undefined): number {
  return rs?.spec?.replicas ?? (rs ? 1 : 0);
}

/** Desired replicas of a Deployment. */
export function deploymentReplicas(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

/** Sum of spec replicas. */
export function sumReplicas(sets: readonly (ReplicaSet | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs ? rsReplicas(rs) : 0), 0);
}

/** Sum of status.replicas (pods that exist). */
export function sumActualReplicas(sets: readonly (ReplicaSet | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

/** Sum of status.readyReplicas. */
export function sumReadyReplicas(sets: readonly (ReplicaSet | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

/** Sum of status.availableReplicas. */
export function sumAvailableReplicas(sets: readonly (ReplicaSet | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

/** Creation time in ms (0 when absent). */
export function createdMs(obj: { metadata: { creationTimestamp?: string } }): number {
  return timeMs(obj.metadata.creationTimestamp) ?? 0;
}

/** Oldest first; name breaks ties (Kubernetes' ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return createdMs(a) - createdMs(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** RSs with spec replicas > 0. */
export function activeSets(sets: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return sets.filter((rs): rs is ReplicaSet => !!rs && rsReplicas(rs) > 0);
}

/** The newest RS whose template equals the Deployment's (oldest first when several match). */
export function findNewReplicaSet(d: Deployment, sets: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...sets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every RS other than `newRS`. */
export function findOldReplicaSets(newRS: ReplicaSet | undefined, sets: readonly ReplicaSet[]): ReplicaSet[] {
  return sets.filter((rs) => rs !== newRS && rs.metadata.uid !== newRS?.metadata.uid);
}
