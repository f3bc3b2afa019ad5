/**
 * Deployment helpers shared by the planner and the sync loop (Kubernetes' deployment/util).
 */
import type { apps, Deployment, ReplicaSet } from '../../model/types.js';
import { jsonEqual, stableStringify } from '../../model/json.js';
import { timeMs } from '../common/time.js';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from '../../model/well-known.js';

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

/** The revision of an object (0 when absent or unparsable). */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } } | undefined): number {
  const v = obj?.metadata.annotations?.[REVISION_ANNOTATION];
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
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

function withoutHash(t: PodTemplate | undefined): unknown {
  if (!t) return {};
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...t, metadata: { ...(t.metadata ?? {}), labels } };
}

/** Template equality ignoring the pod-template-hash label (Kubernetes' EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return jsonEqual(withoutHash(a), withoutHash(b));
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The pod-template-hash of a template: a stable FNV-1a hash of its canonical JSON (without the
 * hash label) and the collision count, encoded with Kubernetes' safe alphabet.
 */
export function computeTemplateHash(template: PodTemplate | undefined, collisionCount?: number): string {
  let text = stableStringify(withoutHash(template));
  if (collisionCount) text += `#${collisionCount}`;
  const digits = String(fnv1a(text));
  let out = '';
  for (let i = 0; i < digits.length; i++) out += SAFE[digits.charCodeAt(i) % SAFE.length];
  return out;
}

/** The newest RS whose template equals the Deployment's (oldest first when several match). */
export function findNewReplicaSet(d: Deployment, sets: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...sets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every RS other than `newRS`. */
export function findOldReplicaSets(newRS: ReplicaSet | undefined, sets: readonly ReplicaSet[]): ReplicaSet[] {
  return sets.filter((rs) => rs !== newRS && rs.metadata.uid !== newRS?.metadata.uid);
}
