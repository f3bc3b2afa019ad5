/** The cluster autoscaler over a cloud provider's node groups, and its pure decisions. */
export { nodeAutoscalerController, CLUSTER_AUTOSCALER_COMPONENT, STATUS_CONFIGMAP, type NodeAutoscalerOptions } from './controller.js';
export { planScaleUp, checkUnneeded, blocksScaleDown, ignoredOnScaleDown, templateMismatch, SAFE_TO_EVICT_ANNOTATION } from './plan.js';
export type { GroupState, ScaleUpPlan, ScaleUpDecision, ScaleDownCheck } from './plan.js';
export { podRequests, utilization, type Amounts } from './resources.js';
