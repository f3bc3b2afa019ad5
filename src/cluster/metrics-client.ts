/**
 * The cluster's MetricsClient for the HPA controller: resource metrics from the node agents'
 * runtime stats (as metrics-server reads the kubelets'), custom and external metrics from the
 * provider function given to `Cluster.start({ customMetrics })`.
 */
import type { autoscaling, Pod } from '../model/types.js';
import type { Clock } from '../clock/types.js';
import type { CustomMetricsProvider, MetricsClient, PodMetric } from '../controllers/hpa/types.js';
import type { NodePool } from './node-pool.js';

/** The window a resource sample covers (metrics-server's default resolution). */
export const RESOURCE_METRIC_WINDOW_MS = 15_000;

/** A MetricsClient over a cluster's node agents and the user's custom metrics provider. */
export class ClusterMetricsClient implements MetricsClient {
  constructor(
    private readonly nodes: Pick<NodePool, 'podStats'>,
    private readonly clock: Clock,
    private readonly custom?: CustomMetricsProvider,
  ) {}

  async resourceMetric(resource: string, _namespace: string, pods: readonly Pod[], container?: string): Promise<Map<string, PodMetric>> {
    if (resource !== 'cpu' && resource !== 'memory') throw new Error(`no metrics known for resource ${resource}`);
    const out = new Map<string, PodMetric>();
    for (const pod of pods) {
      if (pod.status?.phase !== 'Running') continue;
      const stats = await this.nodes.podStats(pod);
      if (!stats) continue;
      const cs = stats.containers.filter((c) => !container || c.name === container);
      if (cs.length === 0) continue;
      const value = cs.reduce((sum, c) => sum + (resource === 'cpu' ? c.cpuMillis : c.memoryBytes * 1000), 0);
      out.set(pod.metadata.name ?? '', { value, timestampMs: stats.at.getTime(), windowMs: RESOURCE_METRIC_WINDOW_MS });
    }
    return out;
  }

  private provider(): CustomMetricsProvider {
    if (!this.custom) throw new Error('no custom metrics provider: pass customMetrics to Cluster.start');
    return this.custom;
  }

  async podsMetric(metric: autoscaling.MetricIdentifier, namespace: string, pods: readonly Pod[]): Promise<Map<string, PodMetric>> {
    const answer = await this.provider()({ type: 'Pods', namespace, metric, pods });
    if (answer === undefined || typeof answer !== 'object' || Array.isArray(answer))
      throw new Error(`the metric ${metric.name} is not available`);
    const out = new Map<string, PodMetric>();
    const nowMs = this.clock.nowMs();
    for (const [name, value] of Object.entries(answer)) {
      if (typeof value === 'number' && Number.isFinite(value)) out.set(name, { value, timestampMs: nowMs, windowMs: 0 });
    }
    return out;
  }

  async objectMetric(
    metric: autoscaling.MetricIdentifier,
    namespace: string,
    object: autoscaling.CrossVersionObjectReference,
  ): Promise<number> {
    const answer = await this.provider()({ type: 'Object', namespace, metric, object });
    if (typeof answer !== 'number' || !Number.isFinite(answer)) throw new Error(`the metric ${metric.name} is not available`);
    return answer;
  }

  async externalMetric(metric: autoscaling.MetricIdentifier, namespace: string): Promise<number[]> {
    const answer = await this.provider()({ type: 'External', namespace, metric });
    if (typeof answer === 'number' && Number.isFinite(answer)) return [answer];
    if (Array.isArray(answer) && answer.length > 0 && answer.every((v) => typeof v === 'number' && Number.isFinite(v))) return answer;
    throw new Error(`the metric ${metric.name} is not available`);
  }
}
