/** The HorizontalPodAutoscaler controller, its metrics contract and its pure decisions. */
export { horizontalPodAutoscalerController, HPA_SYNC_PERIOD_MS, type HpaControllerOptions } from './controller.js';
export type { MetricsClient, PodMetric, CustomMetricQuery, CustomMetricsProvider } from './types.js';
export {
  groupPods,
  resourceReplicas,
  plainMetricReplicas,
  usageRatioReplicas,
  perPodReplicas,
  utilizationRatio,
  TOLERANCE,
} from './replica-calculator.js';
export {
  normalize,
  normalizeWithBehavior,
  recordScaleEvent,
  newHistory,
  scaleUpRules,
  scaleDownRules,
  DOWNSCALE_STABILIZATION_MS,
  type HpaHistory,
  type Normalized,
} from './normalize.js';
