/**
 * Preemption (kube-scheduler's DefaultPreemption) as a pure function: for a pod that fits
 * nowhere, find the node where evicting the fewest, lowest-priority pods makes it fit, preferring
 * victims whose PodDisruptionBudgets allow their disruption.
 */
import type { Pod, PodDisruptionBudget } from '../model/types.js';
import { labelSelectorAsSelector } from '../model/selector.js';
import type { ClusterSnapshot, NodeInfo, PodInfo, Status } from './types.js';
import type { CycleState } from './types.js';
import type { PluginRegistry } from './registry.js';
import { runFilters, fitErrorMessage } from './schedule-one.js';
import { nodeInfoVariant } from './node-info-cache.js';
import { podInfoOf } from './pod-info.js';

/** Reason for nodes where preemption cannot help (their filter failure is unresolvable). */
export const ERR_PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
/** Reason for nodes where evicting every lower-priority pod still does not make room. */
export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';

/** Where to place the preemptor and whom to evict. */
export interface PreemptionResult {
  nodeName: string;
  victims: Pod[];
}

/** The outcome of {@link findPreemption}: a result, or why none (kube-scheduler's PostFilter message). */
export interface PreemptionOutcome {
  result?: PreemptionResult;
  message?: string;
}

function startMs(p: Pod): number {
  const t = p.status?.startTime ?? p.metadata.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

/** kube-scheduler's MoreImportantPod: higher priority, then earlier start. */
function moreImportant(a: PodInfo, b: PodInfo): number {
  return b.priority - a.priority || startMs(a.pod) - startMs(b.pod);
}

function fitsWithout(
  registry: PluginRegistry,
  pod: Pod,
  ni: NodeInfo,
  base: CycleState,
  evicted: PodInfo[],
  held: readonly PodInfo[],
): boolean {
  const state = base.clone();
  const keys = new Set(evicted.map((v) => v.key));
  const trimmed = nodeInfoVariant(ni, { remove: keys });
  for (const v of evicted) for (const p of registry.preFilter) p.removePod?.(state, pod, v, trimmed);
  // As RunFilterPluginsWithNominatedPods: the pod must fit beside the pods nominated to the node
  // (of its priority or higher), and without them.
  if (held.length > 0 && runFilters(registry, pod, nodeInfoVariant(trimmed, { add: held }), state) !== undefined) return false;
  return runFilters(registry, pod, trimmed, state) === undefined;
}

/**
 * Splits pods (in their order) into those whose eviction would violate a budget and those whose
 * would not (filterPodsWithPDBViolation): each pod covered by a budget takes one of its
 * disruptionsAllowed, unless the budget already counts it in disruptedPods; a pod that takes
 * one the budget does not have violates it. As the scheduler does, a budget with an empty
 * selector covers no pod.
 */
export function splitByBudgetViolation(
  pods: readonly PodInfo[],
  pdbs: readonly PodDisruptionBudget[],
): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((b) => b.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((b) => {
    const s = b.spec?.selector;
    if (!s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0)) return undefined;
    try {
      return labelSelectorAsSelector(s);
    } catch {
      return undefined;
    }
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const info of pods) {
    const pod = info.pod;
    let violated = false;
    pdbs.forEach((b, i) => {
      if ((b.metadata.namespace ?? '') !== (pod.metadata.namespace ?? '')) return;
      const sel = selectors[i];
      if (!sel?.matches(pod.metadata.labels ?? {})) return;
      if (b.status?.disruptedPods?.[pod.metadata.name ?? ''] !== undefined) return;
      allowed[i] = (allowed[i] ?? 0) - 1;
      if ((allowed[i] ?? 0) < 0) violated = true;
    });
    (violated ? violating : nonViolating).push(info);
  }
  return { violating, nonViolating };
}

/** The victims chosen on one node and how many of them violate a budget. */
export interface NodeVictims {
  victims: PodInfo[];
  pdbViolations: number;
}

/**
 * Victims on one node (selectVictimsOnNode): every lower-priority pod is removed, then pods are
 * reprieved, most important first, the budget-violating ones before the others, as long as the
 * preemptor still fits (beside `held`, the pods nominated to the node that it must leave room
 * for); undefined when removing them all does not help.
 */
export function selectVictimsOnNode(
  registry: PluginRegistry,
  pod: Pod,
  ni: NodeInfo,
  state: CycleState,
  priority: number,
  pdbs: readonly PodDisruptionBudget[] = [],
  held: readonly PodInfo[] = [],
): NodeVictims | undefined {
  const lower = [...ni.pods.values()].filter((p) => p.priority < priority).sort(moreImportant);
  if (lower.length === 0 || !fitsWithout(registry, pod, ni, state, lower, held)) return undefined;
  const { violating, nonViolating } = splitByBudgetViolation(lower, pdbs);
  let evicted = lower;
  let pdbViolations = 0;
  const reprieve = (v: PodInfo, violates: boolean) => {
    const without = evicted.filter((x) => x !== v);
    if (fitsWithout(registry, pod, ni, state, without, held)) evicted = without;
    else if (violates) pdbViolations++;
  };
  for (const v of violating) reprieve(v, true);
  for (const v of nonViolating) reprieve(v, false);
  return { victims: [...evicted].sort(moreImportant), pdbViolations };
}

interface Candidate {
  nodeName: string;
  victims: PodInfo[];
  pdbViolations: number;
}

const OFFSET = 2 ** 31;

/** kube-scheduler's pickOneNodeForPreemption order (fewest budget violations first), returning the better candidate. */
function better(a: Candidate, b: Candidate): Candidate {
  const maxP = (c: Candidate) => Math.max(...c.victims.map((v) => v.priority));
  const sum = (c: Candidate) => c.victims.reduce((s, v) => s + v.priority + OFFSET, 0);
  const earliestTop = (c: Candidate) => {
    const top = maxP(c);
    return Math.min(...c.victims.filter((v) => v.priority === top).map((v) => startMs(v.pod)));
  };
  if (a.pdbViolations !== b.pdbViolations) return a.pdbViolations < b.pdbViolations ? a : b;
  if (maxP(a) !== maxP(b)) return maxP(a) < maxP(b) ? a : b;
  if (sum(a) !== sum(b)) return sum(a) < sum(b) ? a : b;
  if (a.victims.length !== b.victims.length) return a.victims.length < b.victims.length ? a : b;
  if (earliestTop(a) !== earliestTop(b)) return earliestTop(a) > earliestTop(b) ? a : b;
  return a;
}

/**
 * The pods nominated to a node that a pod of `priority` must leave room for (those of higher or
 * equal priority, other than the pod itself): the scheduler's nominator.
 */
export interface NominatedHolds {
  /** The pods nominated to `nodeName` that a pod of `priority` (keyed `podKey`, namespace/name) must leave room for. */
  holding(nodeName: string, podKey: string, priority: number): PodInfo[];
}

/**
 * Finds the node and victims for preempting on behalf of `pod`, given the failed cycle's
 * per-node statuses and PreFilter state. `priority` defaults to the pod's spec.priority;
 * `pdbs` are the cluster's PodDisruptionBudgets (nodes whose victims violate fewer win);
 * `nominated` holds the room earlier preemptions made for their pods (a second preemptor does
 * not count the same victims as room for itself, as SelectVictimsOnNode runs the filters with
 * the nominated pods).
 */
export function findPreemption(
  registry: PluginRegistry,
  pod: Pod,
  snapshot: ClusterSnapshot,
  failed: { statuses: ReadonlyMap<string, Status>; state: CycleState },
  priority = podInfoOf(pod).priority,
  pdbs: readonly PodDisruptionBudget[] = [],
  nominated?: NominatedHolds,
): PreemptionOutcome {
  if (pod.spec?.preemptionPolicy === 'Never') return { message: 'preemption: not eligible due to preemptionPolicy=Never.' };
  const nominatedNode = pod.status?.nominatedNodeName;
  if (nominatedNode) {
    const ni = snapshot.nodeInfo(nominatedNode);
    for (const p of ni?.pods.values() ?? []) {
      if (p.priority < priority && p.pod.metadata.deletionTimestamp) {
        return { message: 'preemption: not eligible due to a terminating pod on the nominated node.' };
      }
    }
  }
  const nodes = snapshot.nodeInfos();
  const podKey = podInfoOf(pod).key;
  const reasons: Status[] = [];
  let best: Candidate | undefined;
  for (const ni of nodes) {
    const status = failed.statuses.get(ni.name);
    if (!status || status.code === 'UnschedulableAndUnresolvable' || status.code === 'Error') {
      reasons.push({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_PREEMPTION_NOT_HELPFUL] });
      continue;
    }
    const held = nominated?.holding(ni.name, podKey, priority) ?? [];
    const chosen = selectVictimsOnNode(registry, pod, ni, failed.state, priority, pdbs, held);
    if (!chosen) {
      reasons.push({ code: 'Unschedulable', reasons: [ERR_NO_VICTIMS] });
      continue;
    }
    const cand = { nodeName: ni.name, victims: chosen.victims, pdbViolations: chosen.pdbViolations };
    best = best ? better(best, cand) : cand;
  }
  if (!best) return { message: `preemption: ${fitErrorMessage(nodes.length, reasons)}` };
  return { result: { nodeName: best.nodeName, victims: best.victims.map((v) => v.pod) } };
}
