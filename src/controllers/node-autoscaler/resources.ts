/**
 * Resource arithmetic of the cluster autoscaler's simulations: what a pod requests, what a node
 * (or a group's template node) offers, and whether a pod fits a node's labels, taints and free
 * resources. Amounts are thousandths (millicores, bytes*1000), as Kubernetes' MilliValue.
 */
import type { Node, Pod } from '../../model/types.js';
import type { NodeTemplate } from '../../cloud-providers/types.js';
import { quantityToMilli } from '../../model/quantity.js';
import { findUntolerated } from '../../model/tolerations.js';

/** Amounts by resource name (cpu, memory, pods, ...), in thousandths. */
export type Amounts = Record<string, number>;

/** The capacity of a node with none declared, as the node agent's default. */
export const DEFAULT_TEMPLATE_CAPACITY: Record<string, string> = { cpu: '4', memory: '8Gi', pods: '110' };

function amountsOf(map: Record<string, string | number> | undefined): Amounts {
  const out: Amounts = {};
  for (const [k, v] of Object.entries(map ?? {})) out[k] = quantityToMilli(v);
  return out;
}

/** A pod's requests: its containers' sum or its largest init container, whichever is more, plus one pod. */
export function podRequests(pod: Pod): Amounts {
  const sum: Amounts = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, v] of Object.entries(amountsOf(c.resources?.requests as Record<string, string>))) sum[k] = (sum[k] ?? 0) + v;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(amountsOf(c.resources?.requests as Record<string, string>))) sum[k] = Math.max(sum[k] ?? 0, v);
  }
  sum.pods = (sum.pods ?? 0) + 1000;
  return sum;
}

/** What a Node offers pods: its allocatable (or capacity). */
export function nodeAllocatable(node: Node): Amounts {
  return amountsOf((node.status?.allocatable ?? node.status?.capacity) as Record<string, string>);
}

/** What a group's template node would offer. */
export function templateAllocatable(template: NodeTemplate): Amounts {
  return amountsOf(template.allocatable ?? template.capacity ?? DEFAULT_TEMPLATE_CAPACITY);
}

/** `a + sign * b`, per resource. */
export function add(a: Amounts, b: Amounts, sign = 1): Amounts {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + sign * v;
  return out;
}

/** The first resource `request` needs more of than `free` has, if any. */
export function insufficient(request: Amounts, free: Amounts): string | undefined {
  for (const [k, v] of Object.entries(request)) if (v > 0 && v > (free[k] ?? 0)) return k;
  return undefined;
}

/** Why a pod cannot go on a node with these labels and taints (node selector, required affinity terms' matchExpressions In, taints), or undefined. */
export function placementMismatch(
  pod: Pod,
  labels: Record<string, string> | undefined,
  taints: NodeTemplate['taints'],
): string | undefined {
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (labels?.[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  }
  if (findUntolerated(taints, pod.spec?.tolerations, ['NoSchedule', 'NoExecute'])) return 'node(s) had untolerated taint';
  return undefined;
}

/** The sum of pods' requests. */
export function sumRequests(pods: readonly Pod[]): Amounts {
  return pods.reduce<Amounts>((acc, p) => add(acc, podRequests(p)), {});
}

/** A node's utilization as cluster-autoscaler computes it: the larger of cpu and memory requested over allocatable. */
export function utilization(node: Node, pods: readonly Pod[]): number {
  const alloc = nodeAllocatable(node);
  const used = sumRequests(pods);
  let u = 0;
  for (const r of ['cpu', 'memory']) {
    if ((alloc[r] ?? 0) > 0) u = Math.max(u, (used[r] ?? 0) / alloc[r]!);
  }
  return u;
}
