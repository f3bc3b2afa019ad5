/**
 * NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in similar
 * fractions after placing the pod: score = (1 - standard deviation of the fractions) * 100.
 */
import { MAX_NODE_SCORE, type ScorePlugin } from '../types.js';
import { podInfoOf } from '../pod-info.js';

/** The balanced-allocation score of resource fractions (each capped at 1). */
export function balancedScore(fractions: readonly number[]): number {
  if (fractions.length === 0) return 0;
  const f = fractions.map((x) => Math.min(1, x));
  let std: number;
  if (f.length === 2) std = Math.abs(f[0] - f[1]) / 2;
  else {
    const mean = f.reduce((a, b) => a + b, 0) / f.length;
    std = Math.sqrt(f.reduce((a, x) => a + (x - mean) ** 2, 0) / f.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** Creates the NodeResourcesBalancedAllocation score plugin. */
export function balancedAllocationPlugin(weight = 1): ScorePlugin {
  return {
    name: 'NodeResourcesBalancedAllocation',
    weight,
    score(pod, nodeInfo) {
      const req = podInfoOf(pod).requests;
      if (req.milliCpu === 0 && req.memory === 0) return 0; // best-effort pods: skipped, as k8s
      const alloc = nodeInfo.allocatable;
      if (alloc.milliCpu > 0 && alloc.memory > 0) {
        // The two-resource case of balancedScore, without arrays (runs for every feasible node).
        const cpu = Math.min(1, (nodeInfo.requested.milliCpu + req.milliCpu) / alloc.milliCpu);
        const memory = Math.min(1, (nodeInfo.requested.memory + req.memory) / alloc.memory);
        return Math.trunc((1 - Math.abs(cpu - memory) / 2) * MAX_NODE_SCORE);
      }
      const fractions: number[] = [];
      if (alloc.milliCpu > 0) fractions.push((nodeInfo.requested.milliCpu + req.milliCpu) / alloc.milliCpu);
      if (alloc.memory > 0) fractions.push((nodeInfo.requested.memory + req.memory) / alloc.memory);
      return balancedScore(fractions);
    },
  } satisfies ScorePlugin;
}
