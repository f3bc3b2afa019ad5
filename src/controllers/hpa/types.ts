/**
 * The HorizontalPodAutoscaler controller's contracts: where metrics come from. As Kubernetes'
 * podautoscaler takes a MetricsClient (resource metrics from metrics-server, custom and external
 * metrics from their APIs), tugboat's takes a {@link MetricsClient}; the cluster builds one over
 * its node agents' runtime stats and the user's {@link CustomMetricsProvider}.
 */
import type { autoscaling, Pod } from '../../model/types.js';

/** One pod's value of a metric: milli-units for resources (millicores, milli-bytes), plain units otherwise. */
export interface PodMetric {
  value: number;
  /** When it was measured (ms since the epoch). */
  timestampMs: number;
  /** Over how long it was measured (ms). */
  windowMs: number;
}

/** What the HPA controller asks for a metric named in its spec. */
export interface MetricsClient {
  /**
   * Per pod (by name) usage of a resource (`cpu` in millicores, `memory` in milli-bytes), summed
   * over the pod's containers or of one container; pods with no measurement are absent.
   */
  resourceMetric(resource: string, namespace: string, pods: readonly Pod[], container?: string): Promise<Map<string, PodMetric>>;
  /** Per pod values of a Pods metric (custom metrics). */
  podsMetric(metric: autoscaling.MetricIdentifier, namespace: string, pods: readonly Pod[]): Promise<Map<string, PodMetric>>;
  /** The value of an Object metric, describing `object`. */
  objectMetric(metric: autoscaling.MetricIdentifier, namespace: string, object: autoscaling.CrossVersionObjectReference): Promise<number>;
  /** The values of an External metric (summed by the controller). */
  externalMetric(metric: autoscaling.MetricIdentifier, namespace: string): Promise<number[]>;
}

/** What a {@link CustomMetricsProvider} is asked. */
export type CustomMetricQuery =
  | { type: 'Pods'; namespace: string; metric: autoscaling.MetricIdentifier; pods: readonly Pod[] }
  | { type: 'Object'; namespace: string; metric: autoscaling.MetricIdentifier; object: autoscaling.CrossVersionObjectReference }
  | { type: 'External'; namespace: string; metric: autoscaling.MetricIdentifier };

/**
 * A function that answers custom and external metrics (what the custom.metrics.k8s.io and
 * external.metrics.k8s.io APIs answer in Kubernetes), passed to `Cluster.start({ customMetrics })`:
 * for `Pods`, a value per pod name (pods left out have no metric); for `Object`, a number; for
 * `External`, a number or a list of numbers. `undefined` means the metric is unavailable.
 */
export type CustomMetricsProvider = (
  query: CustomMetricQuery,
) => number | number[] | Record<string, number> | undefined | Promise<number | number[] | Record<string, number> | undefined>;
