/**
 * The cluster autoscaler's decisions as pure functions: which group to grow for the pending pods
 * (simulating them on the group's template nodes, upcoming ones first), and whether a node is
 * unneeded (utilization under the threshold, every pod movable and fitting on the other nodes).
 */
import type { Node, Pod } from '../../model/types.js';
import type { NodeGroup } from '../../cloud-providers/types.js';
import {
  add,
  insufficient,
  nodeAllocatable,
  placementMismatch,
  podRequests,
  sumRequests,
  templateAllocatable,
  utilization,
  type Amounts,
} from './resources.js';

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

/** Why a pod cannot run on a group's template node, or undefined when it can. */
export function templateMismatch(pod: Pod, group: NodeGroup): string | undefined {
  const labels = group.template.labels;
  const mismatch = placementMismatch(pod, labels, group.template.taints);
  if (mismatch) return mismatch;
  const short = insufficient(podRequests(pod), templateAllocatable(group.template));
  return short ? `Insufficient ${short}` : undefined;
}

/** First-fit packing of pods onto bins (free amounts); returns the index each pod went to, or -1. */
function pack(pods: readonly Pod[], bins: Amounts[], newBin: (() => Amounts) | undefined, maxBins: number): number[] {
  return pods.map((pod) => {
    const req = podRequests(pod);
    for (let i = 0; i < bins.length; i++) {
      if (!insufficient(req, bins[i]!)) {
        bins[i] = add(bins[i]!, req, -1);
        return i;
      }
    }
    if (newBin && bins.length < maxBins) {
      const bin = newBin();
      if (!insufficient(req, bin)) {
        bins.push(add(bin, req, -1));
        return bins.length - 1;
      }
    }
    return -1;
  });
}

/** Largest requests first (cpu, then memory), as binpacking estimators order pods. */
function bySize(a: Pod, b: Pod): number {
  const ra = podRequests(a);
  const rb = podRequests(b);
  return (rb.cpu ?? 0) - (ra.cpu ?? 0) || (rb.memory ?? 0) - (ra.memory ?? 0);
}

/**
 * Which group to grow, and by how many nodes, so the pending pods fit: for each group the pods
 * that fit its template are packed onto its upcoming nodes, then onto new template nodes up to
 * maxSize. The group that helps the most pods wins, then the one needing fewer nodes, then by id.
 */
export function planScaleUp(pending: readonly Pod[], groups: readonly GroupState[]): ScaleUpDecision {
  const sorted = [...pending].sort(bySize);
  const reasons = new Map<Pod, string[]>(sorted.map((p) => [p, []]));
  const waiting = new Set<Pod>();
  let best: ScaleUpPlan | undefined;
  for (const g of [...groups].sort((a, b) => (a.group.id < b.group.id ? -1 : 1))) {
    const fitting = sorted.filter((p) => {
      const why = templateMismatch(p, g.group);
      if (why) reasons.get(p)!.push(why);
      return !why;
    });
    const tmpl = templateAllocatable(g.group.template);
    const upcoming = Array.from({ length: Math.max(0, g.upcoming) }, () => ({ ...tmpl }));
    const room = Math.max(0, g.group.maxSize - g.targetSize);
    const placed = pack(fitting, upcoming, () => ({ ...tmpl }), upcoming.length + room);
    const onNew = fitting.filter((_, i) => placed[i]! >= g.upcoming);
    fitting.forEach((p, i) => {
      if (placed[i]! >= 0 && placed[i]! < g.upcoming) waiting.add(p);
      if (placed[i] === -1) reasons.get(p)!.push('max node group size reached');
    });
    const delta = Math.max(0, upcoming.length - g.upcoming);
    if (delta === 0 || onNew.length === 0) continue;
    if (!best || onNew.length > best.pods.length || (onNew.length === best.pods.length && delta < best.delta)) {
      best = { group: g, delta, pods: onNew };
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
 * (first fit) on the other schedulable nodes' free resources.
 */
export function checkUnneeded(
  node: Node,
  podsOn: readonly Pod[],
  others: ReadonlyArray<{ node: Node; pods: readonly Pod[] }>,
  threshold: number,
): ScaleDownCheck {
  const counted = podsOn.filter((p) => !ignoredOnScaleDown(p));
  const u = utilization(node, counted);
  if (u >= threshold) return { unneeded: false, utilization: u, reason: 'NotUnderutilized' };
  for (const p of counted) {
    const why = blocksScaleDown(p);
    if (why) return { unneeded: false, utilization: u, reason: why };
  }
  const bins = others.map((o) => add(nodeAllocatable(o.node), sumRequests(o.pods), -1));
  const targets = others.map((o) => o.node);
  for (const p of [...counted].sort(bySize)) {
    const req = podRequests(p);
    const i = bins.findIndex(
      (free, j) => !insufficient(req, free) && !placementMismatch(p, targets[j]!.metadata.labels, targets[j]!.spec?.taints),
    );
    if (i === -1) return { unneeded: false, utilization: u, reason: 'NoPlaceToMovePods' };
    bins[i] = add(bins[i]!, req, -1);
  }
  return { unneeded: true, utilization: u };
}

/**
 * The pending pods that fit on the existing nodes' free resources (first fit, largest first):
 * the scheduler will place them, so they trigger no scale-up (cluster-autoscaler's
 * filterOutSchedulable).
 */
export function schedulableOnExisting(pending: readonly Pod[], nodes: ReadonlyArray<{ node: Node; pods: readonly Pod[] }>): Set<Pod> {
  const bins = nodes.map((o) => add(nodeAllocatable(o.node), sumRequests(o.pods), -1));
  const fits = new Set<Pod>();
  for (const p of [...pending].sort(bySize)) {
    const req = podRequests(p);
    const i = bins.findIndex(
      (free, j) => !insufficient(req, free) && !placementMismatch(p, nodes[j]!.node.metadata.labels, nodes[j]!.node.spec?.taints),
    );
    if (i === -1) continue;
    bins[i] = add(bins[i]!, req, -1);
    fits.add(p);
  }
  return fits;
}
