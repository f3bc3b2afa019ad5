/**
 * The pods/eviction subresource, as kube-apiserver's eviction REST handler: a pod is deleted
 * unless the PodDisruptionBudget covering it allows no disruption now. An allowed eviction
 * takes one from the budget's `status.disruptionsAllowed` and records the pod in
 * `status.disruptedPods` (the disruption controller drops it once the pod is gone, or after two
 * minutes), then marks the pod DisruptionTarget and deletes it.
 */
import type { Pod, PodDisruptionBudget, policy } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import type { Clock } from '../clock/types.js';
import { rfc3339 } from '../clock/time-format.js';
import { getCondition, setCondition } from '../model/conditions.js';
import { budgetsForPod, DISRUPTION_TARGET, withDisruptionAllowedCondition } from '../model/disruption.js';
import type { PodEviction } from '../client/types.js';
import type { ResourceType } from '../model/resource-type.js';
import type { ObjectApi } from './object-api.js';
import type { KindRegistry } from './kind-registry.js';

/** Kubernetes' MaxDisruptedPodSize: evictions not yet confirmed by the disruption controller. */
export const MAX_DISRUPTED_PODS = 2000;
/** How often a budget's status write is retried on a conflict (EvictionsRetry's steps). */
const RETRIES = 5;

/** The message of a forbidden eviction (the same for every cause, as kube-apiserver's). */
export const EVICTION_FORBIDDEN_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

/** What an eviction needs: the API, its kinds and the clock that stamps the disruption. */
export interface EvictionDeps {
  api: ObjectApi;
  registry: KindRegistry;
  clock: Clock;
}

function tooManyRequests(cause: string, retryAfterSeconds: number): TugboatError {
  return new TugboatError('TooManyRequests', EVICTION_FORBIDDEN_MESSAGE, {
    causes: [{ reason: 'DisruptionBudget', message: cause, field: '' }],
    retryAfterSeconds,
  });
}

function isReady(pod: Pod): boolean {
  return getCondition(pod.status?.conditions, 'Ready')?.status === 'True';
}

/** Terminal, pending or terminating pods are evicted without asking a budget (canIgnorePDB). */
function canIgnoreBudget(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

/** True when an unhealthy (not Ready) pod may go without taking a disruption from the budget. */
function unhealthyMayGo(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (isReady(pod)) return false;
  if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const s = pdb.status;
  return !!s && s.currentHealthy >= s.desiredHealthy && s.desiredHealthy > 0;
}

/**
 * The budget's status after taking one disruption for `podName` (checkAndDecrement), or the
 * error that forbids it.
 */
export function decrementBudget(pdb: PodDisruptionBudget, podName: string, now: string): policy.PodDisruptionBudgetStatus {
  const name = pdb.metadata.name ?? '';
  const status = pdb.status;
  if (!status || (status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`, 10);
  }
  if (status.disruptionsAllowed < 0) throw TugboatError.forbidden('pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw TugboatError.forbidden('DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw tooManyRequests(
      `The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
      0,
    );
  }
  let next: policy.PodDisruptionBudgetStatus = {
    ...status,
    disruptionsAllowed: status.disruptionsAllowed - 1,
    disruptedPods: { ...(status.disruptedPods ?? {}), [podName]: now },
  };
  if (next.disruptionsAllowed === 0) next = withDisruptionAllowedCondition(next, now);
  return next;
}

/**
 * Evicts a pod: checks the budget covering it (more than one is an InternalError, as in
 * Kubernetes), takes a disruption from it, then marks the pod DisruptionTarget and deletes it.
 * Fails TooManyRequests (429) when the budget allows no disruption or has not yet observed its
 * latest generation; NotFound when the pod does not exist.
 */
export async function evictPod(deps: EvictionDeps, eviction: PodEviction): Promise<void> {
  const { api, registry, clock } = deps;
  const { namespace, name } = eviction;
  const podType = registry.get('v1', 'Pod');
  const pdbType = registry.find('policy/v1', 'PodDisruptionBudget');
  for (let attempt = 0; ; attempt++) {
    const pod = (await api.get(podType, namespace, name)) as Pod;
    const uid = eviction.deleteOptions?.preconditions?.uid;
    if (uid && uid !== pod.metadata.uid) {
      throw TugboatError.conflict(
        { kind: 'pods' },
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid}`,
      );
    }
    if (canIgnoreBudget(pod) || !pdbType) return deletePod(deps, podType, pod, eviction);
    const pdbs = budgetsForPod((await api.list(pdbType, namespace)).items as PodDisruptionBudget[], pod);
    if (pdbs.length > 1) {
      throw new TugboatError(
        'InternalError',
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      );
    }
    const pdb = pdbs[0];
    if (!pdb || unhealthyMayGo(pdb, pod)) return deletePod(deps, podType, pod, eviction);
    const status = decrementBudget(pdb, name, rfc3339(clock.now()));
    if (eviction.dryRun) return;
    try {
      await api.updateStatus(pdbType, namespace, { ...pdb, status });
    } catch (err) {
      if (TugboatError.is(err, 'Conflict') && attempt < RETRIES) continue;
      throw err;
    }
    return deletePod(deps, podType, pod, eviction);
  }
}

/** Marks the pod DisruptionTarget (reason EvictionByEvictionAPI) and deletes it. */
async function deletePod(deps: EvictionDeps, podType: ResourceType, pod: Pod, eviction: PodEviction): Promise<void> {
  if (eviction.dryRun) return;
  const { api, clock } = deps;
  const ns = pod.metadata.namespace;
  const name = pod.metadata.name ?? '';
  if (!pod.metadata.deletionTimestamp) {
    const now = rfc3339(clock.now());
    const conditions = setCondition(
      pod.status?.conditions,
      {
        type: DISRUPTION_TARGET,
        status: 'True',
        reason: 'EvictionByEvictionAPI',
        message: 'Eviction API: evicting',
        lastTransitionTime: now,
      },
      { now },
    );
    try {
      await api.patch(podType, ns, name, { status: { conditions } }, 'merge', {}, 'status');
    } catch (err) {
      if (!TugboatError.is(err, 'NotFound')) throw err;
      return;
    }
  }
  const options = eviction.deleteOptions ?? {};
  try {
    await api.delete(podType, ns, name, {
      ...options,
      preconditions: { ...options.preconditions, uid: options.preconditions?.uid ?? pod.metadata.uid },
    });
  } catch (err) {
    if (!TugboatError.is(err, 'NotFound')) throw err;
  }
}
