/**
 * The RollingUpdate step as a pure decision (rollingUpdate and updatedDesiredNodeCounts).
 * Without surge it deletes old pods, never letting more than maxUnavailable nodes be without an
 * available pod (old unavailable pods are replaced at once), and the core loop creates their
 * replacements. With maxSurge it creates a new pod beside each old one, at most maxSurge at a
 * time (at once where the old pod is unavailable), and deletes an old pod once its new one is
 * available.
 */
import type { DaemonSet, Node, Pod } from '../../model/types.js';
import { isPodAvailable } from '../util/pods.js';
import { scaledValue } from '../deployment/planner.js';
import { isPodUpdated } from './daemon-pod.js';
import { templateGenerationOf } from './names.js';
import { nodeShouldRunDaemonPod } from './node-fit.js';

/** maxSurge and maxUnavailable resolved against the number of nodes that should run a pod. */
export interface UpdateBudget {
  maxSurge: number;
  maxUnavailable: number;
  desiredNumberScheduled: number;
}

/** maxSurge of a RollingUpdate DaemonSet for `desired` nodes (0 for OnDelete; percent rounds up). */
export function surgeCount(ds: DaemonSet, desired: number): number {
  const us = ds.spec?.updateStrategy;
  if ((us?.type ?? 'RollingUpdate') !== 'RollingUpdate') return 0;
  return scaledValue(us?.rollingUpdate?.maxSurge, desired, true);
}

/** maxUnavailable of a RollingUpdate DaemonSet for `desired` nodes (0 for OnDelete; percent rounds up). */
export function unavailableCount(ds: DaemonSet, desired: number): number {
  const us = ds.spec?.updateStrategy;
  if ((us?.type ?? 'RollingUpdate') !== 'RollingUpdate') return 0;
  return scaledValue(us?.rollingUpdate?.maxUnavailable, desired, true);
}

/** True when the DaemonSet may run more than one pod on a node (AllowsSurge). */
export function allowsSurge(ds: DaemonSet): boolean {
  return surgeCount(ds, 1) > 0;
}

/** The budget for `nodes`; both limits 0 means maxUnavailable 1, as Kubernetes falls back to. */
export function updateBudget(ds: DaemonSet, nodes: readonly Node[]): UpdateBudget {
  const desired = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
  const maxSurge = surgeCount(ds, desired);
  let maxUnavailable = unavailableCount(ds, desired);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desiredNumberScheduled: desired };
}

/** What {@link planRollingUpdate} reads. */
export interface RollingInput {
  ds: DaemonSet;
  nodes: readonly Node[];
  podsByNode: ReadonlyMap<string, readonly Pod[]>;
  hash: string;
  nowMs: number;
}

/** What {@link planRollingUpdate} decides. */
export interface RollingPlan {
  delete: Pod[];
  createOn: string[];
}

/** The new and the old non-terminating pod of a node; undefined when there are several of either. */
function updatedPodsOnNode(pods: readonly Pod[], hash: string, generation: string | undefined): { newPod?: Pod; oldPod?: Pod } | undefined {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, generation)) {
      if (newPod) return undefined;
      newPod = p;
    } else {
      if (oldPod) return undefined;
      oldPod = p;
    }
  }
  return { newPod, oldPod };
}

/** Decides one step of a rolling update. */
export function planRollingUpdate(input: RollingInput): RollingPlan {
  const { ds, hash, nowMs } = input;
  const budget = updateBudget(ds, input.nodes);
  const generation = templateGenerationOf(ds);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, nowMs);
  const nodesByName = new Map(input.nodes.map((n) => [n.metadata.name ?? '', n]));
  const shouldRun = (name: string) => {
    const node = nodesByName.get(name);
    return node !== undefined && nodeShouldRunDaemonPod(node, ds).shouldRun;
  };
  // Every node that should run a pod is considered, with or without pods.
  const entries = new Map<string, readonly Pod[]>(input.podsByNode);
  for (const n of input.nodes) {
    const name = n.metadata.name ?? '';
    if (!entries.has(name) && shouldRun(name)) entries.set(name, []);
  }
  const sorted = [...entries.keys()].sort();

  if (budget.maxSurge === 0) {
    let numUnavailable = 0;
    const replacements: Pod[] = [];
    const candidates: Pod[] = [];
    for (const name of sorted) {
      const found = updatedPodsOnNode(entries.get(name) ?? [], hash, generation);
      if (!found) {
        numUnavailable++;
        continue;
      }
      const { newPod, oldPod } = found;
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          replacements.push(oldPod);
          numUnavailable++;
        } else if (numUnavailable < budget.maxUnavailable) candidates.push(oldPod);
      }
    }
    const remaining = Math.min(Math.max(0, budget.maxUnavailable - numUnavailable), candidates.length);
    return { delete: [...replacements, ...candidates.slice(0, remaining)], createOn: [] };
  }

  const toDelete: Pod[] = [];
  const shouldNotRun: Pod[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const name of sorted) {
    const found = updatedPodsOnNode(entries.get(name) ?? [], hash, generation);
    if (!found) {
      numSurge++;
      continue;
    }
    const { newPod, oldPod } = found;
    if (oldPod) {
      if (available(oldPod)) numAvailable++;
    } else if (newPod && available(newPod)) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(name)) toDelete.push(oldPod);
        else allowedNodes.push(name);
      } else if (!shouldRun(name)) shouldNotRun.push(oldPod);
      else if (numSurge < budget.maxSurge) candidateNodes.push(name);
      continue;
    }
    if (!available(newPod)) {
      numSurge++;
      continue;
    }
    toDelete.push(oldPod);
  }
  // Pods on nodes that should no longer run one go only while enough others are available.
  const deletable = Math.min(Math.max(0, numAvailable - budget.desiredNumberScheduled), shouldNotRun.length);
  toDelete.push(...shouldNotRun.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(0, budget.maxSurge - numSurge), candidateNodes.length);
  return { delete: toDelete, createOn: [...allowedNodes, ...candidateNodes.slice(0, remainingSurge)] };
}
