/**
 * One sync of a StatefulSet as a pure decision (Kubernetes' updateStatefulSet): the pods in the
 * ordinal range are kept (failed or succeeded ones deleted to be recreated, missing ones
 * created at the current or update revision, identities restored); pods out of range are
 * condemned, highest ordinal first; then a RollingUpdate deletes pods not at the update
 * revision, highest ordinal first, down to the partition, at most maxUnavailable at a time.
 * OrderedReady acts on one pod at a time, each Running and Ready (and available) before the
 * next; Parallel acts on all. The plan is a list of phases; the caller runs them in order and
 * stops at the first error.
 */
import type { OwnerReference, PersistentVolumeClaim, Pod, StatefulSet, core } from '../../model/types.js';
import { scaledValue } from '../deployment/planner.js';
import { claimsToFix, missingClaims, podClaimIsStale } from './claims.js';
import { identityMatches, newStatefulSetPod, podRevision, storageMatches } from './identity.js';
import { inOrdinalRange, ordinalOf, replicasOf, startOrdinal } from './names.js';
import {
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
} from './pod-state.js';
import { countStatus, type ReplicaCounts } from './status.js';

/** One write the sync makes. */
export type SetAction =
  | { type: 'createPod'; pod: Pod; claims: PersistentVolumeClaim[] }
  | { type: 'createClaims'; pod: Pod; claims: PersistentVolumeClaim[] }
  | { type: 'deletePod'; pod: Pod; why: 'finished' | 'scale-down' | 'update' }
  | { type: 'fixIdentity'; pod: Pod }
  | { type: 'fixClaimOwners'; claim: PersistentVolumeClaim; owners: OwnerReference[] };

/** What {@link planSync} is given. */
export interface SyncInput {
  set: StatefulSet;
  /** The member pods the set controls. */
  pods: readonly Pod[];
  /** The name of the current and update revisions, and the template the current one records. */
  currentRevision: string;
  updateRevision: string;
  currentTemplate?: core.PodTemplateSpec;
  /** The claims of the set's namespace, by name. */
  claims: ReadonlyMap<string, PersistentVolumeClaim>;
  nowMs: number;
}

/** The outcome of {@link planSync}. */
export interface SyncPlan {
  /** Phases of actions, in order; in OrderedReady mode run each phase's actions one by one. */
  phases: SetAction[][];
  /** The replica counts to write (before completeRollingUpdate). */
  counts: ReplicaCounts;
  /** True when the pods are managed one at a time (OrderedReady). */
  monotonic: boolean;
}

/** maxUnavailable of a RollingUpdate against the replicas: rounded down, at least 1 (getStatefulSetMaxUnavailable). */
export function maxUnavailableOf(set: StatefulSet): number {
  const v = set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  return Math.max(1, scaledValue(v, replicasOf(set), false));
}

/** The pod of `ordinal` to create: at the current revision below the partition, else at the update revision (newVersionedStatefulSetPod). */
function versionedPod(input: SyncInput, ordinal: number): Pod {
  const { set } = input;
  const strategy = set.spec?.updateStrategy;
  const start = startOrdinal(set);
  const rolling = (strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  const atCurrent = strategy?.rollingUpdate
    ? ordinal < start + (strategy.rollingUpdate.partition ?? 0)
    : rolling && ordinal < start + (set.status?.currentReplicas ?? 0);
  return atCurrent
    ? newStatefulSetPod(set, ordinal, input.currentRevision, input.currentTemplate ?? set.spec?.template)
    : newStatefulSetPod(set, ordinal, input.updateRevision);
}

/** Plans one sync of the set. */
export function planSync(input: SyncInput): SyncPlan {
  const { set, pods, nowMs, claims } = input;
  const minReady = set.spec?.minReadySeconds ?? 0;
  const counts = countStatus(pods, minReady, nowMs, input.currentRevision, input.updateRevision);
  const monotonic = (set.spec?.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
  const plan: SyncPlan = { phases: [], counts, monotonic };
  if (set.metadata.deletionTimestamp) return plan;

  const start = startOrdinal(set);
  const replicas: Pod[] = new Array(replicasOf(set));
  const condemned: Pod[] = [];
  for (const p of pods) {
    const o = ordinalOf(p);
    if (inOrdinalRange(set, o)) replicas[o - start] = p;
    else if (o >= 0) condemned.push(p);
  }
  for (let i = 0; i < replicas.length; i++) replicas[i] ??= versionedPod(input, start + i);
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  let firstUnavailable: Pod | undefined = replicas.find((p) => isUnavailable(p, minReady, nowMs));
  if (!firstUnavailable)
    for (let i = condemned.length - 1; i >= 0 && !firstUnavailable; i--)
      if (isUnavailable(condemned[i], minReady, nowMs)) firstUnavailable = condemned[i];

  // Living replicas: returns true when a monotonic sync must stop after this pod.
  const replicaPhase: SetAction[] = [];
  const processReplica = (pod: Pod): boolean => {
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!isTerminating(pod)) replicaPhase.push({ type: 'deletePod', pod, why: 'finished' });
      return true;
    }
    if (!isCreated(pod)) {
      if (podClaimIsStale(set, pod, claims)) return true;
      replicaPhase.push({ type: 'createPod', pod, claims: missingClaims(set, ordinalOf(pod), claims) });
      if (monotonic) return true;
    }
    if (isPending(pod)) {
      const missing = missingClaims(set, ordinalOf(pod), claims);
      if (missing.length > 0) replicaPhase.push({ type: 'createClaims', pod, claims: missing });
    }
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, nowMs))) return true;
    if (!isCreated(pod)) return false;
    const fixes = claimsToFix(set, pod, claims);
    if (identityMatches(set, pod) && storageMatches(set, pod) && fixes.length === 0) return false;
    if (!identityMatches(set, pod)) replicaPhase.push({ type: 'fixIdentity', pod });
    for (const f of fixes) replicaPhase.push({ type: 'fixClaimOwners', claim: f.claim, owners: f.owners });
    return false;
  };
  const exitAfter = (actions: SetAction[]): SyncPlan => {
    if (actions.length > 0) plan.phases.push(actions);
    return plan;
  };
  for (const pod of replicas) if (processReplica(pod) && monotonic) return exitAfter(replicaPhase);
  if (replicaPhase.length > 0) plan.phases.push(replicaPhase);

  // Condemned pods: their claims first get the owners the retention policy gives scaled-away pods.
  const claimPhase: SetAction[] = [];
  for (const pod of condemned)
    for (const f of claimsToFix(set, pod, claims)) claimPhase.push({ type: 'fixClaimOwners', claim: f.claim, owners: f.owners });
  if (claimPhase.length > 0) plan.phases.push(claimPhase);

  const condemnedPhase: SetAction[] = [];
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return exitAfter(condemnedPhase);
      continue;
    }
    if (monotonic && pod !== firstUnavailable && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, nowMs)))
      return exitAfter(condemnedPhase);
    condemnedPhase.push({ type: 'deletePod', pod, why: 'scale-down' });
    if (monotonic) return exitAfter(condemnedPhase);
  }
  if (condemnedPhase.length > 0) plan.phases.push(condemnedPhase);

  if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'OnDelete') return plan;

  // RollingUpdate: replace pods not at the update revision, highest first, down to the partition.
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  const maxUnavailable = maxUnavailableOf(set);
  const unavailable = replicas.filter((p) => isUnavailable(p, minReady, nowMs)).length;
  if (unavailable >= maxUnavailable) return plan;
  const updatePhase: SetAction[] = [];
  for (let i = replicas.length - 1; i >= partition && updatePhase.length < maxUnavailable - unavailable; i--) {
    const pod = replicas[i];
    if (podRevision(pod) !== input.updateRevision && !isTerminating(pod)) {
      updatePhase.push({ type: 'deletePod', pod, why: 'update' });
      counts.currentReplicas--;
    }
  }
  return exitAfter(updatePhase);
}
