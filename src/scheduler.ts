/**
 * For people extending the scheduler: the component, the plugin framework (filter, score,
 * pre-filter, pre-score) and the built-in plugins, as kube-scheduler's framework.
 * `import { Scheduler, nodeResourcesFitPlugin } from 'tugboat/scheduler'`.
 * @packageDocumentation
 */
export {
  Scheduler,
  CycleState,
  MAX_NODE_SCORE,
  success,
  skip,
  unschedulable,
  unresolvable,
  errorStatus,
  isSuccess,
  PluginRegistry,
  defaultPlugins,
  defaultRegistry,
  nodeNamePlugin,
  nodeUnschedulablePlugin,
  nodeResourcesFitPlugin,
  nodeAffinityPlugin,
  taintTolerationPlugin,
  interPodAffinityPlugin,
  podTopologySpreadPlugin,
  leastAllocatedPlugin,
  balancedAllocationPlugin,
} from './scheduler/index.js';
export type {
  SchedulerOptions,
  AnyPlugin,
  FilterPlugin,
  ScorePlugin,
  PreFilterPlugin,
  PreScorePlugin,
  Plugin,
  NodeInfo,
  NodeScore,
  PodInfo,
  PluginStatus,
  PluginStatusCode,
  ClusterSnapshot,
  Resources,
  InterPodAffinityOptions,
} from './scheduler/index.js';
