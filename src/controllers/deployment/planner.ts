/**
 * The pure decisions of a Deployment rollout (Kubernetes' rolling.go, sync.go and util): how far
 * the new ReplicaSet may scale up, how far old ones may scale down, and proportional scaling.
 * Every function returns target sizes; the caller writes them.
 */
import type { Deployment, ReplicaSet } from '../../model/types.js';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from '../../model/well-known.js';
import { activeSets, byCreation, createdMs, deploymentReplicas, rsReplicas, sumReplicas } from './util.js';

/** An int or a percentage string, as maxSurge/maxUnavailable. */
export type IntOrPercent = number | string | undefined;

/** Resolves an int-or-percent against `total`, rounding up or down (Kubernetes' GetScaledValueFromIntOrPercent). */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v.trim());
  if (!m) {
    const n = Number.parseInt(v, 10);
    return Number.isFinite(n) ? n : 0;
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** maxSurge rounds up, maxUnavailable rounds down; both zero makes unavailable 1. */
export function resolveFenceposts(
  maxSurge: IntOrPercent,
  maxUnavailable: IntOrPercent,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

function isRolling(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge ?? '25%', ru?.maxUnavailable ?? '25%', deploymentReplicas(d));
}

/** The surge of a RollingUpdate Deployment (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  return isRolling(d) ? fenceposts(d).surge : 0;
}

/** The unavailable budget of a RollingUpdate Deployment, at most its replicas (0 for Recreate). */
export function maxUnavailable(d: Deployment): number {
  const replicas = deploymentReplicas(d);
  if (!isRolling(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

/** The size the new RS may grow to now (Kubernetes' NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const replicas = deploymentReplicas(d);
  if (!isRolling(d)) return replicas;
  const current = rsReplicas(newRS);
  const total = sumReplicas(allRSs);
  const maxTotal = replicas + maxSurge(d);
  if (total >= maxTotal) return current;
  return current + Math.max(0, Math.min(maxTotal - total, replicas - current));
}

/** Target size of the new RS in this step, or undefined when it is at its size. */
export function planNewReplicaSet(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number | undefined {
  const replicas = deploymentReplicas(d);
  const cur = rsReplicas(newRS);
  if (cur === replicas) return undefined;
  if (cur > replicas) return replicas;
  const next = newRSNewReplicas(d, allRSs, newRS);
  return next === cur ? undefined : next;
}

/**
 * Target sizes of old RSs in this step (Kubernetes' reconcileOldReplicaSets): first unhealthy
 * replicas of old RSs go, then healthy ones as long as `replicas - maxUnavailable` stay available.
 */
export function planOldReplicaSets(
  d: Deployment,
  allRSs: readonly ReplicaSet[],
  oldRSs: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
): Map<string, number> {
  const out = new Map<string, number>();
  const oldActive = activeSets(oldRSs);
  if (sumReplicas(oldActive) === 0) return out;
  const replicas = deploymentReplicas(d);
  const minAvailable = replicas - maxUnavailable(d);
  const newUnavailable = rsReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  const maxScaledDown = sumReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return out;
  const size = (rs: ReplicaSet): number => out.get(rs.metadata.name ?? '') ?? rsReplicas(rs);
  // 1. unhealthy replicas of old RSs, oldest RS first
  let cleaned = 0;
  for (const rs of [...oldActive].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const available = rs.status?.availableReplicas ?? 0;
    const cur = size(rs);
    if (cur === 0 || cur <= available) continue;
    const n = Math.min(maxScaledDown - cleaned, cur - available);
    out.set(rs.metadata.name ?? '', cur - n);
    cleaned += n;
  }
  // 2. healthy replicas, keeping minAvailable available. A ReplicaSet never keeps more pods than
  // its spec: counting its (possibly not yet updated) status above that would scale down twice.
  const available = allRSs.reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, size(rs)), 0);
  if (available <= minAvailable) return out;
  const budget = available - minAvailable;
  let scaled = 0;
  for (const rs of [...oldActive].sort(byCreation)) {
    if (scaled >= budget) break;
    const cur = size(rs);
    if (cur === 0) continue;
    const n = Math.min(cur, budget - scaled);
    out.set(rs.metadata.name ?? '', cur - n);
    scaled += n;
  }
  return out;
}

function annotationInt(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : undefined;
}

/** True when the new RS runs every replica and is fully available (Kubernetes' IsSaturated). */
export function isSaturated(d: Deployment, newRS: ReplicaSet | undefined): boolean {
  if (!newRS) return false;
  const replicas = deploymentReplicas(d);
  return (
    rsReplicas(newRS) === replicas &&
    annotationInt(newRS, DESIRED_REPLICAS_ANNOTATION) === replicas &&
    (newRS.status?.availableReplicas ?? 0) === replicas
  );
}

/** True when some active RS was last scaled for a different Deployment size (a scaling event). */
export function isScalingEvent(d: Deployment, sets: readonly (ReplicaSet | undefined)[]): boolean {
  const replicas = deploymentReplicas(d);
  return activeSets(sets).some((rs) => {
    const desired = annotationInt(rs, DESIRED_REPLICAS_ANNOTATION);
    return desired !== undefined && desired !== replicas;
  });
}

/**
 * Target sizes when the Deployment's size changes (Kubernetes' `scale`): one active RS takes the
 * whole size; a saturated new RS zeroes the old; otherwise, for RollingUpdate, the difference
 * is shared in proportion to each RS's size against its max-replicas annotation, leftovers to
 * the largest RS (newest first when adding, oldest first when removing).
 */
export function planScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): Map<string, number> {
  const out = new Map<string, number>();
  const replicas = deploymentReplicas(d);
  const active = activeSets([...oldRSs, newRS]);
  if (active.length <= 1) {
    const target = active[0] ?? newRS ?? [...oldRSs].sort((a, b) => createdMs(b) - createdMs(a))[0];
    if (target && rsReplicas(target) !== replicas) out.set(target.metadata.name ?? '', replicas);
    return out;
  }
  if (isSaturated(d, newRS)) {
    for (const rs of activeSets(oldRSs)) out.set(rs.metadata.name ?? '', 0);
    return out;
  }
  if ((d.spec?.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return out;
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - sumReplicas(active);
  if (toAdd === 0) return out;
  const sorted = [...active].sort((a, b) => {
    const s = rsReplicas(b) - rsReplicas(a);
    if (s !== 0) return s;
    return toAdd > 0 ? createdMs(b) - createdMs(a) : createdMs(a) - createdMs(b);
  });
  let added = 0;
  const sizes = sorted.map((rs) => {
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return rsReplicas(rs) + p;
  });
  sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  sorted.forEach((rs, i) => {
    if (sizes[i] !== rsReplicas(rs)) out.set(rs.metadata.name ?? '', sizes[i]);
  });
  return out;
}

function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  const cur = rsReplicas(rs);
  if (cur === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (deploymentReplicas(d) === 0) fraction = -cur;
  else {
    const target = deploymentReplicas(d) + maxSurge(d);
    const annotated = annotationInt(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
    fraction = annotated > 0 ? Math.round((cur * target) / annotated) - cur : 0;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
