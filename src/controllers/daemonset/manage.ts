/**
 * The DaemonSet's core loop as a pure decision (manage and podsShouldBeOnNode): for each node,
 * create a pod where one should run and none exists, delete failed (with back-off) and
 * succeeded pods, prune extra pods (all but the oldest, or with maxSurge all but the oldest old
 * and new ones), and delete every pod on a node that must no longer run one. Unscheduled pods
 * for nodes that are gone are deleted; scheduled ones are reported for the caller to confirm.
 */
import type { DaemonSet, Node, Pod } from '../../model/types.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../../model/well-known.js';
import { nodeShouldRunDaemonPod } from './node-fit.js';
import { byScheduledThenAge } from './node-pods.js';

/** An Event the plan asks for. */
export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** What {@link planManage} reads. */
export interface ManageInput {
  ds: DaemonSet;
  nodes: readonly Node[];
  /** The DaemonSet's pods by target node. */
  podsByNode: ReadonlyMap<string, readonly Pod[]>;
  /** The current revision's hash. */
  hash: string;
  /** True when the update strategy allows surge (more than one pod per node). */
  allowsSurge: boolean;
  nowMs: number;
  /** Milliseconds left of the failed-pod back-off on a node (0 when none). */
  backoffMs(nodeName: string): number;
}

/** What {@link planManage} decides. */
export interface ManagePlan {
  /** Nodes to create a pod for. */
  createOn: string[];
  /** Pods to delete. */
  delete: Pod[];
  /** Nodes whose failed pod is deleted now (their back-off steps up). */
  failedOn: string[];
  /** Scheduled pods bound to nodes that are not in the node list (PodGC's orphans). */
  onMissingNodes: Pod[];
  events: PlannedEvent[];
  /** When to look again for failed pods held back by their back-off. */
  requeueAfterMs?: number;
}

function minDefined(a: number | undefined, b: number): number {
  return a === undefined ? b : Math.min(a, b);
}

/** Decides the creations and deletions of the core loop. */
export function planManage(input: ManageInput): ManagePlan {
  const { ds, hash, nowMs } = input;
  const plan: ManagePlan = { createOn: [], delete: [], failedOn: [], onMissingNodes: [], events: [] };
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const nsName = (p: Pod) => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;
  for (const node of input.nodes) {
    const nodeName = node.metadata.name ?? '';
    const fit = nodeShouldRunDaemonPod(node, ds);
    const pods = input.podsByNode.get(nodeName);
    const exists = pods !== undefined && pods.length > 0;
    if (fit.shouldRun && !exists) {
      plan.createOn.push(nodeName);
      continue;
    }
    if (!exists) continue;
    if (!fit.shouldContinueRunning) {
      for (const p of pods) if (!p.metadata.deletionTimestamp) plan.delete.push(p);
      continue;
    }
    const running: Pod[] = [];
    for (const p of pods) {
      if (p.metadata.deletionTimestamp) continue;
      const phase = p.status?.phase;
      if (phase === 'Failed') {
        const wait = input.backoffMs(nodeName);
        if (wait > 0) {
          plan.requeueAfterMs = minDefined(plan.requeueAfterMs, wait);
          continue;
        }
        plan.failedOn.push(nodeName);
        plan.events.push({
          type: 'Warning',
          reason: 'FailedDaemonPod',
          message: `Found failed daemon pod ${nsName(p)} on node ${nodeName}, will try to kill it`,
        });
        plan.delete.push(p);
      } else if (phase === 'Succeeded') {
        plan.events.push({
          type: 'Normal',
          reason: 'SucceededDaemonPod',
          message: `Found succeeded daemon pod ${nsName(p)} on node ${nodeName}, will try to delete it`,
        });
        plan.delete.push(p);
      } else {
        running.push(p);
      }
    }
    running.sort(byScheduledThenAge);
    if (!input.allowsSurge) {
      plan.delete.push(...running.slice(1));
      continue;
    }
    if (running.length <= 1) {
      if (running.length === 0 && fit.shouldRun) plan.createOn.push(nodeName);
      continue;
    }
    // Surging: keep at most the oldest new pod and the oldest old pod; the old one goes once
    // it is not ready or the new one is available.
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const p of running) {
      const isNew = p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
      if (isNew && !oldestNew) oldestNew = p;
      else if (!isNew && !oldestOld) oldestOld = p;
      else plan.delete.push(p);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, nowMs))) plan.delete.push(oldestOld);
  }
  const known = new Set(input.nodes.map((n) => n.metadata.name ?? ''));
  for (const [nodeName, pods] of input.podsByNode) {
    if (known.has(nodeName)) continue;
    for (const p of pods) {
      if (p.metadata.deletionTimestamp) continue;
      if (!p.spec?.nodeName) plan.delete.push(p);
      else plan.onMissingNodes.push(p);
    }
  }
  return plan;
}
