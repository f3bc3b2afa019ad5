/**
 * NodeResourcesLeastAllocated: prefers nodes with the most free cpu and memory after placing the
 * pod (kube-scheduler's LeastAllocated strategy, non-zero requests, cpu and memory weight 1).
 */
import { MAX_NODE_SCORE, type ScorePlugin } from '../types.js';
import { podInfoOf } from '../pod-info.js';

function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** Creates the NodeResourcesLeastAllocated score plugin. */
export function leastAllocatedPlugin(weight = 1): ScorePlugin {
  return {
    name: 'NodeResourcesLeastAllocated',
    weight,
    score(pod, nodeInfo) {
      const req = podInfoOf(pod).nonZeroRequests;
      const used = nodeInfo.nonZeroRequested;
      const cpu = leastRequested(used.milliCpu + req.milliCpu, nodeInfo.allocatable.milliCpu);
      const mem = leastRequested(used.memory + req.memory, nodeInfo.allocatable.memory);
      return Math.trunc((cpu + mem) / 2);
    },
  } satisfies ScorePlugin;
}
