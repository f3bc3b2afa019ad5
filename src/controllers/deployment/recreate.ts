/**
 * The Recreate strategy (Kubernetes' rolloutRecreate): scale every old RS to 0, wait until no
 * old pod runs, then create the new RS at full size.
 */
import type { Pod, ReplicaSet } from '../../model/types.js';
import { activeSets, rsReplicas } from './util.js';
import { deploymentComplete } from './progress.js';
import type { DeploymentSync } from './sync.js';

/** True while a pod of an old RS exists and has not Succeeded/Failed. */
export function oldPodsRunning(oldRSs: readonly ReplicaSet[], podsOf: (rs: ReplicaSet) => readonly Pod[]): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  return oldRSs.some((rs) => podsOf(rs).some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'));
}

/** One Recreate step; returns when to look again (progress deadline). */
export async function rolloutRecreate(s: DeploymentSync): Promise<number | undefined> {
  let { newRS, oldRSs } = await s.newAndOld(false);
  const sizes = new Map(activeSets(oldRSs).map((rs) => [rs.metadata.name ?? '', 0] as const));
  if (await s.applySizes(sizes)) return s.syncRolloutStatus(newRS, oldRSs);
  const pods = new Map<string, Pod[]>();
  for (const rs of oldRSs) pods.set(rs.metadata.uid ?? '', await s.ctx.cache.ownedBy<Pod>('v1', 'Pod', rs.metadata.uid ?? ''));
  const fresh = s.freshSets(newRS, oldRSs);
  if (oldPodsRunning(fresh.oldRSs, (rs) => pods.get(rs.metadata.uid ?? '') ?? [])) return s.syncRolloutStatus(newRS, oldRSs);
  if (!newRS) ({ newRS, oldRSs } = await s.newAndOld(true));
  const replicas = s.d.spec?.replicas ?? 1;
  if (newRS && rsReplicas(s.freshSets(newRS, oldRSs).newRS) !== replicas) await s.scale(s.freshSets(newRS, oldRSs).newRS!, replicas);
  if (deploymentComplete(s.d, s.d.status ?? {})) await s.cleanup(s.freshSets(newRS, oldRSs).oldRSs);
  return s.syncRolloutStatus(newRS, oldRSs);
}
