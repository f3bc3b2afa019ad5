/**
 * The RollingUpdate strategy (Kubernetes' rolloutRolling): scale the new RS up within maxSurge,
 * then old RSs down within maxUnavailable, one step per reconcile.
 */
import { planNewReplicaSet, planOldReplicaSets } from './planner.js';
import { deploymentComplete } from './progress.js';
import type { DeploymentSync } from './sync.js';

/** One rolling step; returns when to look again (progress deadline). */
export async function rolloutRolling(s: DeploymentSync): Promise<number | undefined> {
  const { newRS, oldRSs } = await s.newAndOld(true);
  if (!newRS) return s.syncRolloutStatus(newRS, oldRSs);
  const target = planNewReplicaSet(s.d, [...oldRSs, newRS], newRS);
  if (target !== undefined) {
    await s.scale(newRS, target);
    return s.syncRolloutStatus(newRS, oldRSs);
  }
  const fresh = s.freshSets(newRS, oldRSs);
  const plan = planOldReplicaSets(s.d, [...fresh.oldRSs, fresh.newRS!], fresh.oldRSs, fresh.newRS);
  if (await s.applySizes(plan)) return s.syncRolloutStatus(newRS, oldRSs);
  if (deploymentComplete(s.d, s.d.status ?? {})) await s.cleanup(fresh.oldRSs);
  return s.syncRolloutStatus(newRS, oldRSs);
}
