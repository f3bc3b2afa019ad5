/** The cluster autoscaler over a cloud provider's node groups, and its pure decisions. */
export { nodeAutoscalerController, CLUSTER_AUTOSCALER_COMPONENT, STATUS_CONFIGMAP, type NodeAutoscalerOptions } from './controller.js';
export {
  planScaleUp,
  checkUnneeded,
  schedulableOnExisting,
  templateNode,
  blocksScaleDown,
  ignoredOnScaleDown,
  SAFE_TO_EVICT_ANNOTATION,
  MAX_SIZE_REACHED,
} from './plan.js';
export type { GroupState, ScaleUpPlan, ScaleUpDecision, ScaleDownCheck, ClusterState } from './plan.js';
export type { SchedulingSimulator, SimulatedCluster, FitResult } from './types.js';
export { podRequests, utilization, type Amounts } from './resources.js';
