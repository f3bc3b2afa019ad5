/** The disruption controller (PodDisruptionBudget status) and its pure decisions. */
export { disruptionController, DISRUPTION_COMPONENT } from './controller.js';
export {
  expectedPodCount,
  disruptedPodMap,
  countHealthyPods,
  nextStatus,
  failSafeStatus,
  DELETION_TIMEOUT_MS,
  type ExpectedCount,
  type StatusInput,
} from './status.js';
export { staleDisruptionController, staleDisruptionAfterMs, STALE_POD_DISRUPTION_TIMEOUT_MS } from './stale-condition.js';
