/**
 * NodeResourcesFit: the pod's requests (cpu, memory, extended resources) and one more pod must
 * fit in what the node's allocatable leaves after the pods already on it.
 */
import type { FilterPlugin, NodeInfo, Resources } from '../types.js';
import { success, unschedulable } from '../status.js';
import { podInfoOf } from '../pod-info.js';

/** One missing resource: its name, what the pod asks, and what is left. */
export interface InsufficientResource {
  resource: string;
  reason: string;
  requested: number;
  free: number;
}

/** Lists what the node lacks for a pod requesting `req` (empty when it fits), in k8s' order. */
export function insufficientResources(req: Readonly<Resources>, nodeInfo: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (used.pods + 1 > alloc.pods) {
    out.push({ resource: 'pods', reason: 'Too many pods', requested: 1, free: alloc.pods - used.pods });
  }
  if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) {
    out.push({ resource: 'cpu', reason: 'Insufficient cpu', requested: req.milliCpu, free: alloc.milliCpu - used.milliCpu });
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    out.push({ resource: 'memory', reason: 'Insufficient memory', requested: req.memory, free: alloc.memory - used.memory });
  }
  if (req.scalar) {
    for (const [name, want] of Object.entries(req.scalar)) {
      const free = (alloc.scalar?.[name] ?? 0) - (used.scalar?.[name] ?? 0);
      if (want > 0 && want > free) out.push({ resource: name, reason: `Insufficient ${name}`, requested: want, free });
    }
  }
  return out;
}

/** True when {@link insufficientResources} would find nothing missing (the same checks, without building the list). */
function fits(req: Readonly<Resources>, nodeInfo: NodeInfo): boolean {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (used.pods + 1 > alloc.pods) return false;
  if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) return false;
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) return false;
  if (req.scalar) {
    for (const name of Object.keys(req.scalar)) {
      const want = req.scalar[name];
      if (want > 0 && want > (alloc.scalar?.[name] ?? 0) - (used.scalar?.[name] ?? 0)) return false;
    }
  }
  return true;
}

/** Creates the NodeResourcesFit filter plugin. */
export function nodeResourcesFitPlugin(): FilterPlugin {
  return {
    name: 'NodeResourcesFit',
    filter(pod, nodeInfo) {
      const req = podInfoOf(pod).requests;
      // Filter runs once per node per pod: the common case (it fits) allocates nothing.
      if (fits(req, nodeInfo)) return success();
      const missing = insufficientResources(req, nodeInfo);
      return missing.length === 0 ? success() : unschedulable(...missing.map((m) => m.reason));
    },
  } satisfies FilterPlugin;
}
