/**
 * A Deployment's status from its ReplicaSets (Kubernetes' calculateStatus and
 * syncRolloutStatus), as pure functions.
 */
import type { apps, Deployment, ReplicaSet } from '../../model/types.js';
import { rfc3339 } from '../../clock/time-format.js';
import { getCondition, removeCondition, setCondition, type SetConditionOptions } from '../../model/conditions.js';
import { maxUnavailable } from './planner.js';
import { REASONS, deploymentComplete, deploymentProgressing, deploymentTimedOut, hasProgressDeadline } from './progress.js';
import { deploymentReplicas, sumActualReplicas, sumAvailableReplicas, sumReadyReplicas } from './util.js';

type DCondition = apps.DeploymentCondition & { type: string; status: string };

/** Kubernetes' SetDeploymentCondition: a condition of unchanged status and reason is left as it is. */
export const DEPLOYMENT_CONDITION: SetConditionOptions = { keepSameReason: true };

/** A Deployment condition stamped at `nowMs`. */
export function condition(type: string, status: string, reason: string, message: string, nowMs: number): DCondition {
  const t = rfc3339(nowMs);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

/** Counts and the Available condition. */
export function calculateStatus(
  allRSs: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
  nowMs: number,
): apps.DeploymentStatus {
  const available = sumAvailableReplicas(allRSs);
  const status: apps.DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sumActualReplicas(allRSs),
    updatedReplicas: sumActualReplicas([newRS]),
    readyReplicas: sumReadyReplicas(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, deploymentReplicas(d) - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  };
  let conds = [...((d.status?.conditions ?? []) as DCondition[])];
  conds =
    available >= deploymentReplicas(d) - maxUnavailable(d)
      ? setCondition(
          conds,
          condition('Available', 'True', REASONS.minAvailable, 'Deployment has minimum availability.', nowMs),
          DEPLOYMENT_CONDITION,
        )
      : setCondition(
          conds,
          condition('Available', 'False', REASONS.minUnavailable, 'Deployment does not have minimum availability.', nowMs),
          DEPLOYMENT_CONDITION,
        );
  status.conditions = conds;
  return status;
}

/** The status of a rollout step, with the Progressing condition (and ReplicaFailure) updated. */
export function rolloutStatus(
  allRSs: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  d: Deployment,
  nowMs: number,
): apps.DeploymentStatus {
  const s = calculateStatus(allRSs, newRS, d, nowMs);
  let conds = s.conditions as DCondition[];
  if (!hasProgressDeadline(d)) conds = removeCondition(conds, 'Progressing');
  const current = getCondition(d.status?.conditions as DCondition[] | undefined, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && current?.reason === REASONS.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const withConds = { ...s, conditions: conds };
    if (deploymentComplete(d, withConds)) {
      conds = setCondition(
        conds,
        condition(
          'Progressing',
          'True',
          REASONS.newRSAvailable,
          `ReplicaSet "${newRS?.metadata.name}" has successfully progressed.`,
          nowMs,
        ),
        DEPLOYMENT_CONDITION,
      );
    } else if (deploymentProgressing(d, withConds)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      // Progress refreshes lastUpdateTime even when the reason is unchanged (Kubernetes special-cases it too).
      conds = setCondition(conds, condition('Progressing', 'True', REASONS.rsUpdated, msg, nowMs));
    } else if (deploymentTimedOut(d, withConds, nowMs)) {
      const msg = newRS
        ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`
        : `Deployment "${d.metadata.name}" has timed out progressing.`;
      conds = setCondition(conds, condition('Progressing', 'False', REASONS.timedOut, msg, nowMs), DEPLOYMENT_CONDITION);
    }
  }
  const failure = [newRS, ...allRSs].map((rs) => getCondition(rs?.status?.conditions, 'ReplicaFailure')).find((c) => c?.status === 'True');
  conds = failure
    ? setCondition(
        conds,
        condition('ReplicaFailure', failure.status, failure.reason ?? 'FailedCreate', failure.message ?? '', nowMs),
        DEPLOYMENT_CONDITION,
      )
    : removeCondition(conds, 'ReplicaFailure');
  return { ...s, conditions: conds };
}
