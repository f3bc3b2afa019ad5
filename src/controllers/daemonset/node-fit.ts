/**
 * Whether a node should run a DaemonSet's pod (NodeShouldRunDaemonPod): the template's nodeName
 * (if set), nodeSelector and required node affinity must match, and its taints must be tolerated
 * by the template's tolerations plus the daemon tolerations. An untolerated NoSchedule taint
 * stops new pods but lets a running one continue; an untolerated NoExecute taint stops both.
 */
import type { DaemonSet, Node, Pod } from '../../model/types.js';
import { matchesRequiredNodeAffinity } from '../../model/node-affinity.js';
import { findUntolerated } from '../../model/tolerations.js';
import { daemonPodSpecFor } from './daemon-pod.js';

/** The two answers of {@link nodeShouldRunDaemonPod}. */
export interface NodeFit {
  /** A daemon pod should be created here if there is none. */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

/** Decides whether `node` should run (and keep running) a pod of `ds`. */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeFit {
  const name = node.metadata.name ?? '';
  const wanted = ds.spec?.template?.spec?.nodeName;
  if (wanted && wanted !== name) return { shouldRun: false, shouldContinueRunning: false };
  const spec = daemonPodSpecFor(ds, name);
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ds.metadata.namespace }, spec };
  if (!matchesRequiredNodeAffinity(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints;
  if (findUntolerated(taints, spec.tolerations, ['NoSchedule', 'NoExecute'])) {
    return { shouldRun: false, shouldContinueRunning: !findUntolerated(taints, spec.tolerations, ['NoExecute']) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}
