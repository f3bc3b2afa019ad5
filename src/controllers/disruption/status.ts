/**
 * The disruption controller's pure decisions (Kubernetes' pkg/controller/disruption): the
 * expected pod count and desired healthy count of a budget, the healthy pods, the disrupted
 * pods still awaited, and the status they make.
 */
import type { Pod, PodDisruptionBudget, policy } from '../../model/types.js';
import { disruptionConditionUpToDate, withDisruptionAllowedCondition } from '../../model/disruption.js';
import { jsonEqual } from '../../model/json.js';
import { isPodReady } from '../util/pods.js';
import { scaledValue } from '../deployment/planner.js';
import { timeMs } from '../util/time.js';

/** How long a pod in `status.disruptedPods` is awaited to be deleted (Kubernetes' DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** The expected and desired healthy counts of a budget, and the pods no controller owns. */
export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  unmanagedPods: string[];
}

/**
 * How many pods a budget expects and how many must be healthy (getExpectedPodCount):
 * maxUnavailable and a percentage minAvailable count the scale of the pods' controllers
 * (`scale`, computed only then), an integer minAvailable counts the pods.
 */
export async function expectedPodCount(
  pdb: PodDisruptionBudget,
  pods: readonly Pod[],
  scale: () => Promise<{ expectedCount: number; unmanagedPods: string[] }>,
): Promise<ExpectedCount> {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { expectedCount, unmanagedPods } = await scale();
    const maxUnavailable = scaledValue(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') {
      return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    }
    const { expectedCount, unmanagedPods } = await scale();
    return { expectedCount, desiredHealthy: scaledValue(spec.minAvailable, expectedCount, true), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/**
 * The budget's disruptedPods still awaited (buildDisruptedPodMap): entries of pods that exist, are
 * not yet being deleted and were evicted less than {@link DELETION_TIMEOUT_MS} ago; and when to look
 * again (the earliest such expiry). Returns the pods past their deadline too (for a NotDeleted Event).
 */
export function disruptedPodMap(
  pdb: PodDisruptionBudget,
  pods: readonly Pod[],
  nowMs: number,
): { disruptedPods: Record<string, string>; recheckAtMs?: number; overdue: Pod[] } {
  const recorded = pdb.status?.disruptedPods;
  const disruptedPods: Record<string, string> = {};
  const overdue: Pod[] = [];
  let recheckAtMs: number | undefined;
  if (!recorded) return { disruptedPods, overdue };
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const name = pod.metadata.name ?? '';
    const at = recorded[name];
    if (at === undefined) continue;
    const expected = (timeMs(at) ?? 0) + DELETION_TIMEOUT_MS;
    if (expected < nowMs) {
      overdue.push(pod);
      continue;
    }
    if (recheckAtMs === undefined || expected < recheckAtMs) recheckAtMs = expected;
    disruptedPods[name] = at;
  }
  return { disruptedPods, recheckAtMs, overdue };
}

/** Pods that are ready, not being deleted and not awaited to be deleted (countHealthyPods). */
export function countHealthyPods(pods: readonly Pod[], disruptedPods: Record<string, string>, nowMs: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disruptedPods[pod.metadata.name ?? ''];
    if (at !== undefined && (timeMs(at) ?? 0) + DELETION_TIMEOUT_MS > nowMs) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/** What a status update needs. */
export interface StatusInput {
  currentHealthy: number;
  desiredHealthy: number;
  expectedCount: number;
  disruptedPods: Record<string, string>;
}

/**
 * The budget's next status (updatePdbStatus), or undefined when the stored one is up to date:
 * disruptionsAllowed is currentHealthy - desiredHealthy, and 0 when negative or when the budget
 * expects no pods (so a budget whose first pods appear is safe until this controller catches up).
 */
export function nextStatus(pdb: PodDisruptionBudget, input: StatusInput, now: string): policy.PodDisruptionBudgetStatus | undefined {
  const { currentHealthy, desiredHealthy, expectedCount, disruptedPods } = input;
  let disruptionsAllowed = currentHealthy - desiredHealthy;
  if (expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  const old = pdb.status;
  const generation = pdb.metadata.generation ?? 0;
  if (
    old &&
    old.currentHealthy === currentHealthy &&
    old.desiredHealthy === desiredHealthy &&
    old.expectedPods === expectedCount &&
    old.disruptionsAllowed === disruptionsAllowed &&
    jsonEqual(old.disruptedPods ?? {}, disruptedPods) &&
    old.observedGeneration === generation &&
    disruptionConditionUpToDate(old)
  ) {
    return undefined;
  }
  const status: policy.PodDisruptionBudgetStatus = {
    currentHealthy,
    desiredHealthy,
    expectedPods: expectedCount,
    disruptionsAllowed,
    observedGeneration: generation,
    ...(Object.keys(disruptedPods).length > 0 ? { disruptedPods } : {}),
    ...(old?.conditions ? { conditions: old.conditions } : {}),
  };
  return withDisruptionAllowedCondition(status, now);
}

/**
 * The fail-safe status after a failed sync (failSafe): no disruption allowed, DisruptionAllowed
 * False with reason SyncFailed and the error's message.
 */
export function failSafeStatus(pdb: PodDisruptionBudget, message: string, now: string): policy.PodDisruptionBudgetStatus {
  const old = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 };
  const conditions = [...(old.conditions ?? [])];
  const i = conditions.findIndex((c) => c.type === 'DisruptionAllowed');
  const prev = i >= 0 ? conditions[i] : undefined;
  const next = {
    type: 'DisruptionAllowed',
    status: 'False',
    reason: 'SyncFailed',
    message,
    observedGeneration: old.observedGeneration,
    lastTransitionTime: prev?.status === 'False' && prev.lastTransitionTime ? prev.lastTransitionTime : now,
  };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
  return { ...old, disruptionsAllowed: 0, conditions };
}
