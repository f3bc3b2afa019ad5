/**
 * A StatefulSet's status (computeReplicaStatus, completeRollingUpdate, inconsistentStatus):
 * replicas, readyReplicas, availableReplicas, currentReplicas and updatedReplicas counted over
 * its pods; a rolling update completes (the current revision becomes the update revision) once
 * every pod is updated and ready. Pure.
 */
import type { Pod, StatefulSet, apps } from '../../model/types.js';
import { jsonEqual } from '../../model/json.js';
import { msUntilAvailable } from '../util/pods.js';
import { podRevision } from './identity.js';
import { isCreated, isRunningAndAvailable, isRunningAndReady, isTerminating } from './pod-state.js';

/** The pod counters of a StatefulSet's status. */
export interface ReplicaCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
}

/** Counts the pods (computeReplicaStatus). */
export function countStatus(pods: readonly Pod[], minReadySeconds: number, nowMs: number, current: string, update: string): ReplicaCounts {
  const c: ReplicaCounts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const p of pods) {
    if (isCreated(p)) c.replicas++;
    if (isRunningAndReady(p)) {
      c.readyReplicas++;
      if (isRunningAndAvailable(p, minReadySeconds, nowMs)) c.availableReplicas++;
    }
    if (isCreated(p) && !isTerminating(p)) {
      const r = podRevision(p);
      if (r === current) c.currentReplicas++;
      if (r === update) c.updatedReplicas++;
    }
  }
  return c;
}

/** The status to write: counts, revisions, collision count and observedGeneration, with a finished rolling update completed. */
export function nextStatus(
  set: StatefulSet,
  counts: ReplicaCounts,
  current: string,
  update: string,
  collisionCount: number,
): apps.StatefulSetStatus {
  const status: apps.StatefulSetStatus = {
    ...(set.status ?? {}),
    ...counts,
    observedGeneration: set.metadata.generation,
    currentRevision: current,
    updateRevision: update,
    collisionCount,
  };
  if (
    (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' &&
    status.updatedReplicas === status.replicas &&
    status.readyReplicas === status.replicas
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  return status;
}

/** True when `status` differs from what the set has (inconsistentStatus). */
export function statusChanged(set: StatefulSet, status: apps.StatefulSetStatus): boolean {
  return !jsonEqual(set.status ?? {}, status);
}

/** Milliseconds until the next pod becomes available (minReadySeconds), if one is waiting. */
export function nextAvailableInMs(pods: readonly Pod[], minReadySeconds: number, nowMs: number): number | undefined {
  let min: number | undefined;
  for (const p of pods) {
    if (p.status?.phase !== 'Running') continue;
    const ms = msUntilAvailable(p, minReadySeconds, nowMs);
    if (ms !== undefined && (min === undefined || ms < min)) min = ms;
  }
  return min;
}
