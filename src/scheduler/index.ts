/**
 * The scheduler's public surface: the component, its options, the plugin framework and the
 * built-in plugins.
 */
export { Scheduler, type SchedulerOptions } from './scheduler.js';
export type {
  AnyPlugin,
  ClusterSnapshot,
  FilterPlugin,
  NodeInfo,
  NodeScore,
  Plugin,
  PodInfo,
  PreFilterPlugin,
  PreScorePlugin,
  Resources,
  ScorePlugin,
  Status as PluginStatus,
  StatusCode as PluginStatusCode,
} from './types.js';
export { CycleState, MAX_NODE_SCORE } from './types.js';
export { success, skip, unschedulable, unresolvable, errorStatus, isSuccess } from './status.js';
export { PluginRegistry, defaultPlugins, defaultRegistry } from './registry.js';
export { SchedulingQueue, type SchedulingQueueOptions, type QueuedPodInfo } from './queue.js';
export { NodeInfoCache, buildNodeInfo, buildSnapshot } from './node-info-cache.js';
export {
  scheduleOne,
  findNodesThatFit,
  prioritize,
  selectHost,
  fitErrorMessage,
  numFeasibleNodesToFind,
  seededRandom,
  type ScheduleOutcome,
} from './schedule-one.js';
export { findPreemption, type NominatedHolds, type PreemptionResult, type PreemptionOutcome } from './preemption.js';
export { podRequests } from './resources.js';
export { nodeNamePlugin } from './plugins/node-name.js';
export { nodeUnschedulablePlugin } from './plugins/node-unschedulable.js';
export { nodeResourcesFitPlugin } from './plugins/node-resources-fit.js';
export { nodePortsPlugin, ERR_NODE_PORTS } from './plugins/node-ports.js';
export { nodeAffinityPlugin } from './plugins/node-affinity.js';
export { taintTolerationPlugin, tolerates } from './plugins/taint-toleration.js';
export { interPodAffinityPlugin, type InterPodAffinityOptions } from './plugins/inter-pod-affinity.js';
export { podTopologySpreadPlugin } from './plugins/pod-topology-spread.js';
export { leastAllocatedPlugin } from './plugins/least-allocated.js';
export { balancedAllocationPlugin } from './plugins/balanced-allocation.js';
