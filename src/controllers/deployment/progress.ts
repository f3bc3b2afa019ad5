/**
 * Progress of a rollout (Kubernetes' DeploymentComplete, DeploymentProgressing,
 * DeploymentTimedOut): pure predicates over old and new status.
 */
import type { apps, Deployment } from '../../model/types.js';
import { getCondition } from '../../model/conditions.js';
import { deploymentReplicas } from './util.js';

/** Progressing condition reasons, as Kubernetes names them. */
export const REASONS = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minAvailable: 'MinimumReplicasAvailable',
  minUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** True when spec.progressDeadlineSeconds is set (and not MaxInt32). */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== null && s !== 2147483647;
}

/** Every replica is updated and available, and the status is current. */
export function deploymentComplete(d: Deployment, s: apps.DeploymentStatus): boolean {
  const r = deploymentReplicas(d);
  return (
    (s.updatedReplicas ?? 0) === r &&
    (s.replicas ?? 0) === r &&
    (s.availableReplicas ?? 0) === r &&
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** The new status shows progress over the Deployment's current status. */
export function deploymentProgressing(d: Deployment, s: apps.DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** The Progressing condition has not been updated within the deadline. */
export function deploymentTimedOut(d: Deployment, s: apps.DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s.conditions, 'Progressing');
  if (!c) return false;
  if (c.reason === REASONS.newRSAvailable) return false;
  if (c.reason === REASONS.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? c.lastTransitionTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/**
 * When to look again so a stuck rollout times out on time (Kubernetes' requeueStuckDeployment);
 * undefined when no deadline is pending.
 */
export function msUntilDeadline(d: Deployment, s: apps.DeploymentStatus, nowMs: number): number | undefined {
  const c = getCondition(s.conditions, 'Progressing');
  if (!hasProgressDeadline(d) || !c || c.status !== 'True' || c.reason === REASONS.newRSAvailable) return undefined;
  if (deploymentComplete(d, s)) return undefined;
  const from = Date.parse(c.lastUpdateTime ?? c.lastTransitionTime ?? '');
  if (Number.isNaN(from)) return undefined;
  return Math.max(0, from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - nowMs) + 1;
}
