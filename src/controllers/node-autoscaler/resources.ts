/**
 * Resource arithmetic of the cluster autoscaler: what a pod requests and how much of a node's
 * allocatable its pods use (the utilization a scale-down compares with its threshold). Whether a
 * pod fits a node is the scheduler's filters' question (the SchedulingSimulator). Amounts are
 * thousandths (millicores, bytes*1000), as Kubernetes' MilliValue.
 */
import type { Node, Pod } from '../../model/types.js';
import { quantityToMilli } from '../../model/quantity.js';

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

/** `a + sign * b`, per resource. */
export function add(a: Amounts, b: Amounts, sign = 1): Amounts {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + sign * v;
  return out;
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
