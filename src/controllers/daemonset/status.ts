/**
 * A DaemonSet's status as a pure computation (updateDaemonSetStatus): per node that should run
 * a pod, whether one is scheduled there and whether the oldest is ready, available and of the
 * current revision; pods on nodes that should not run one are misscheduled.
 */
import type { apps, DaemonSet, Node, Pod } from '../../model/types.js';
import { isPodAvailable, isPodReady, msUntilAvailable } from '../util/pods.js';
import { isPodUpdated } from './daemon-pod.js';
import { templateGenerationOf } from './names.js';
import { nodeShouldRunDaemonPod } from './node-fit.js';
import { byScheduledThenAge } from './node-pods.js';

/** The counters of a DaemonSet's status. */
export type DaemonSetCounts = Required<
  Pick<
    apps.DaemonSetStatus,
    | 'desiredNumberScheduled'
    | 'currentNumberScheduled'
    | 'numberMisscheduled'
    | 'numberReady'
    | 'updatedNumberScheduled'
    | 'numberAvailable'
    | 'numberUnavailable'
  >
>;

/** The counters and, when a ready pod is not yet available, how long until the first becomes so. */
export interface StatusResult {
  counts: DaemonSetCounts;
  requeueAfterMs?: number;
}

/** Computes the counters from the nodes and the DaemonSet's pods by node. */
export function computeStatus(
  ds: DaemonSet,
  nodes: readonly Node[],
  podsByNode: ReadonlyMap<string, readonly Pod[]>,
  hash: string,
  nowMs: number,
): StatusResult {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const generation = templateGenerationOf(ds);
  const c: DaemonSetCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  let requeueAfterMs: number | undefined;
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    const pods = podsByNode.get(node.metadata.name ?? '') ?? [];
    const scheduled = pods.length > 0;
    if (!shouldRun) {
      if (scheduled) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (!scheduled) continue;
    c.currentNumberScheduled++;
    const pod = [...pods].sort(byScheduledThenAge)[0];
    if (isPodReady(pod)) {
      c.numberReady++;
      if (isPodAvailable(pod, minReady, nowMs)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, generation)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  // Look again when a ready pod (any, so a surged pod too) passes minReadySeconds.
  for (const pods of podsByNode.values()) {
    for (const p of pods) {
      const ms = msUntilAvailable(p, minReady, nowMs);
      if (ms !== undefined) requeueAfterMs = requeueAfterMs === undefined ? ms : Math.min(requeueAfterMs, ms);
    }
  }
  return requeueAfterMs === undefined ? { counts: c } : { counts: c, requeueAfterMs };
}

/** True when the stored status already has these counters and observedGeneration. */
export function statusUpToDate(ds: DaemonSet, counts: DaemonSetCounts, observedGeneration: number | undefined): boolean {
  const s: apps.DaemonSetStatus = ds.status ?? ({} as apps.DaemonSetStatus);
  for (const k of Object.keys(counts) as (keyof DaemonSetCounts)[]) if ((s[k] ?? 0) !== counts[k]) return false;
  return observedGeneration === undefined || (s.observedGeneration ?? 0) >= observedGeneration;
}
