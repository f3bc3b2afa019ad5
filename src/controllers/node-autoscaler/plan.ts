/**
 * The cluster autoscaler's decisions as pure functions over a {@link SchedulingSimulator}: which
 * pending pods the existing nodes will take, which group to grow for the rest (simulating them on
 * the group's template nodes, upcoming ones first, with the scheduler's filters), and whether a
 * node is unneeded (utilization under the threshold, every pod movable and fitting elsewhere).
 */
import type { Node, Pod } from '../../model/types.js';
import type { NodeGroup } from '../../cloud-providers/types.js';
import { LABEL_HOSTNAME } from '../../model/well-known.js';
import { DEFAULT_TEMPLATE_CAPACITY, podRequests, utilization } from './resources.js';
import type { SchedulingSimulator, SimulatedCluster } from './types.js';

/** A group as the planner sees it: the group, its target size and how many of its nodes have not registered yet. */
export interface GroupState {
  group: NodeGroup;
  targetSize: number;
  upcoming: number;
}

/** A scale-up: the group, how many nodes, and the pods it is for. */
export interface ScaleUpPlan {
  group: GroupState;
  delta: number;
  pods: Pod[];
}

/** The outcome of {@link planScaleUp}: the chosen scale-up (if any), and why each other pod triggered none. */
export interface ScaleUpDecision {
  scaleUp?: ScaleUpPlan;
  /** Pods helped by upcoming nodes already (no new node needed). */
  waiting: Pod[];
  /** Pods no group can take, with the reasons per group. */
  noScaleUp: Array<{ pod: Pod; reasons: string[] }>;
}

/** The cluster as the planner reads it: the schedulable nodes and the pods bound to them. */
export interface ClusterState {
  nodes: readonly Node[];
  /** Pods with spec.nodeName, not finished. */
  pods: readonly Pod[];
}

/** The reason a pod gives when its group has no room left. */
export const MAX_SIZE_REACHED = 'max node group size reached';

/**
 * The `index`-th template node of a group, as cluster-autoscaler builds one from the group's
 * template: its own name and hostname label, the template's labels, taints and resources, Ready.
 */
export function templateNode(group: NodeGroup, index: number): Node {
  const name = `template-node-for-${group.id}-${index}`;
  const capacity = group.template.capacity ?? DEFAULT_TEMPLATE_CAPACITY;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { ...(group.template.labels ?? {}), [LABEL_HOSTNAME]: name } },
    spec: group.template.taints?.length ? { taints: [...group.template.taints] } : {},
    status: {
      capacity: { ...capacity },
      allocatable: { ...(group.template.allocatable ?? capacity) },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

/** Largest requests first (cpu, then memory), as binpacking estimators order pods. */
function bySize(a: Pod, b: Pod): number {
  const ra = podRequests(a);
  const rb = podRequests(b);
  return (rb.cpu ?? 0) - (ra.cpu ?? 0) || (rb.memory ?? 0) - (ra.memory ?? 0);
}

/** The pod as if not bound yet (a pod being moved must not be held to its old node's name). */
function unbound(pod: Pod): Pod {
  if (!pod.spec?.nodeName) return pod;
  const { nodeName: _nodeName, ...spec } = pod.spec;
  return { ...pod, spec };
}

const nameOf = (n: Node): string => n.metadata.name ?? '';

/**
 * The pending pods the existing nodes will take (cluster-autoscaler's filterOutSchedulable):
 * each, largest first, is placed on the first node the scheduler's filters accept.
 */
export function schedulableOnExisting(pending: readonly Pod[], cluster: ClusterState, simulator: SchedulingSimulator): Set<Pod> {
  const sim = simulator.snapshot(cluster.nodes, cluster.pods);
  const names = cluster.nodes.map(nameOf);
  const fits = new Set<Pod>();
  for (const p of [...pending].sort(bySize)) {
    const { node } = sim.fit(p, names);
    if (node === undefined) continue;
    sim.place(p, node);
    fits.add(p);
  }
  return fits;
}

/** Simulates one group: the pods placed on its upcoming nodes, on new nodes, and why the others fit nowhere. */
function simulateGroup(
  g: GroupState,
  pods: readonly Pod[],
  sim: SimulatedCluster,
): { waiting: Pod[]; onNew: Pod[]; delta: number; reasons: Map<Pod, string> } {
  const upcoming = Math.max(0, g.upcoming);
  const room = Math.max(0, g.group.maxSize - g.targetSize);
  const names: string[] = [];
  let next = 0;
  const add = (): string => {
    const node = templateNode(g.group, next++);
    sim.addNode(node);
    names.push(nameOf(node));
    return nameOf(node);
  };
  for (let i = 0; i < upcoming; i++) add();
  const waiting: Pod[] = [];
  const onNew: Pod[] = [];
  const reasons = new Map<Pod, string>();
  for (const pod of pods) {
    const placed = sim.fit(pod, names).node;
    if (placed !== undefined) {
      sim.place(pod, placed);
      (names.indexOf(placed) < upcoming ? waiting : onNew).push(pod);
      continue;
    }
    // A fresh template node: the pod goes there, or the template itself does not fit it.
    const fresh = add();
    const res = sim.fit(pod, [fresh]);
    const withinMax = names.length - upcoming <= room;
    if (res.node !== undefined && withinMax) {
      sim.place(pod, fresh);
      onNew.push(pod);
      continue;
    }
    sim.removeNode(fresh);
    names.pop();
    next--;
    reasons.set(pod, res.node !== undefined ? MAX_SIZE_REACHED : (res.reasons[0] ?? 'no node fits'));
  }
  return { waiting, onNew, delta: names.length - upcoming, reasons };
}

/**
 * Which group to grow, and by how many nodes, so the pending pods fit: for each group the pods
 * are simulated (largest first) on its upcoming template nodes, then on new ones up to maxSize,
 * beside the existing cluster (so pod affinity and anti-affinity see the pods already running).
 * The group that helps the most pods wins, then the one needing fewer nodes, then by id.
 */
export function planScaleUp(
  pending: readonly Pod[],
  groups: readonly GroupState[],
  cluster: ClusterState,
  simulator: SchedulingSimulator,
): ScaleUpDecision {
  const sorted = [...pending].sort(bySize);
  const reasons = new Map<Pod, string[]>(sorted.map((p) => [p, []]));
  const waiting = new Set<Pod>();
  let best: ScaleUpPlan | undefined;
  for (const g of [...groups].sort((a, b) => (a.group.id < b.group.id ? -1 : 1))) {
    const result = simulateGroup(g, sorted, simulator.snapshot(cluster.nodes, cluster.pods));
    for (const [pod, why] of result.reasons) reasons.get(pod)!.push(why);
    for (const p of result.waiting) waiting.add(p);
    if (result.delta === 0 || result.onNew.length === 0) continue;
    const n = result.onNew.length;
    if (!best || n > best.pods.length || (n === best.pods.length && result.delta < best.delta)) {
      best = { group: g, delta: result.delta, pods: result.onNew };
    }
  }
  const helped = new Set([...(best?.pods ?? []), ...waiting]);
  return {
    ...(best ? { scaleUp: best } : {}),
    waiting: [...waiting].filter((p) => !best?.pods.includes(p)),
    noScaleUp: sorted.filter((p) => !helped.has(p)).map((pod) => ({ pod, reasons: reasons.get(pod)! })),
  };
}

/** The annotation that marks a pod safe (or not) to evict for a scale-down. */
export const SAFE_TO_EVICT_ANNOTATION = 'cluster-autoscaler.kubernetes.io/safe-to-evict';

/** True for the pods a scale-down ignores (a drain leaves them): DaemonSet and mirror pods. */
export function ignoredOnScaleDown(pod: Pod): boolean {
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return true;
  return pod.metadata.ownerReferences?.some((o) => o.controller && o.kind === 'DaemonSet') ?? false;
}

/** Why a pod blocks its node's removal (cluster-autoscaler's drainability rules), or undefined when it can move. */
export function blocksScaleDown(pod: Pod): string | undefined {
  const safe = pod.metadata.annotations?.[SAFE_TO_EVICT_ANNOTATION];
  if (safe === 'false') return 'NotSafeToEvictAnnotation';
  if (safe === 'true') return undefined;
  if (!pod.metadata.ownerReferences?.some((o) => o.controller)) return 'NotReplicated';
  if (pod.spec?.volumes?.some((v) => v.emptyDir && v.emptyDir.medium !== 'Memory')) return 'LocalStorageRequested';
  return undefined;
}

/** A node considered for removal: what blocks it, or its utilization when nothing does. */
export interface ScaleDownCheck {
  unneeded: boolean;
  utilization: number;
  reason?: string;
}

/**
 * Whether `node` is unneeded: under `threshold` utilization, every pod on it movable and fitting
 * (largest first, the scheduler's filters) on the other nodes of `cluster`.
 */
export function checkUnneeded(node: Node, cluster: ClusterState, threshold: number, simulator: SchedulingSimulator): ScaleDownCheck {
  const name = nameOf(node);
  const counted = cluster.pods.filter((p) => p.spec?.nodeName === name && !ignoredOnScaleDown(p));
  const u = utilization(node, counted);
  if (u >= threshold) return { unneeded: false, utilization: u, reason: 'NotUnderutilized' };
  for (const p of counted) {
    const why = blocksScaleDown(p);
    if (why) return { unneeded: false, utilization: u, reason: why };
  }
  if (counted.length === 0) return { unneeded: true, utilization: u };
  const others = cluster.nodes.filter((n) => nameOf(n) !== name);
  const sim = simulator.snapshot(
    others,
    cluster.pods.filter((p) => p.spec?.nodeName !== name),
  );
  const names = others.map(nameOf);
  for (const p of [...counted].sort(bySize).map(unbound)) {
    const { node: to } = sim.fit(p, names);
    if (to === undefined) return { unneeded: false, utilization: u, reason: 'NoPlaceToMovePods' };
    sim.place(p, to);
  }
  return { unneeded: true, utilization: u };
}
