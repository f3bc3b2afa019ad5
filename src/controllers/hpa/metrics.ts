/**
 * One metric of an HPA's spec to a replica proposal and its MetricStatus (computeReplicasForMetric):
 * Resource and ContainerResource (Utilization or AverageValue), Pods, Object and External. A
 * failure answers the ScalingActive=False condition Kubernetes sets for it.
 */
import type { autoscaling, Pod } from '../../model/types.js';
import { quantityToMilli } from '../../model/quantity.js';
import type { MetricsClient } from './types.js';
import { perPodReplicas, plainMetricReplicas, podRequests, resourceReplicas, usageRatioReplicas, TOLERANCE } from './replica-calculator.js';

/** What one metric proposes. */
export interface MetricProposal {
  replicas: number;
  name: string;
  status: autoscaling.MetricStatus;
}

/** A metric that could not be computed: the condition it sets. */
export class MetricError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a metric's computation needs. */
export interface MetricInput {
  spec: autoscaling.MetricSpec;
  namespace: string;
  specReplicas: number;
  statusReplicas: number;
  pods: readonly Pod[];
  nowMs: number;
  metrics: MetricsClient;
  tolerance?: number;
}

/** A quantity string of a milli-unit value (`250m`, or whole units when exact). */
export function milliQuantity(milli: number): string {
  const m = Math.round(milli);
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

function readyPods(pods: readonly Pod[]): number {
  return pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .length;
}

async function resource(input: MetricInput, src: autoscaling.ResourceMetricSource, container?: string): Promise<MetricProposal> {
  const { namespace, pods, nowMs, specReplicas } = input;
  const kind = container ? 'ContainerResource' : 'Resource';
  const fail = (why: string) => new MetricError(container ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric', why);
  let raw: Awaited<ReturnType<MetricsClient['resourceMetric']>>;
  try {
    raw = await input.metrics.resourceMetric(src.name, namespace, pods, container);
  } catch (err) {
    throw fail(
      `the HPA was unable to compute the replica count: unable to get metrics for resource ${src.name}: ${(err as Error).message}`,
    );
  }
  const target = src.target;
  const wrap = (current: autoscaling.MetricValueStatus): autoscaling.MetricStatus =>
    container
      ? { type: 'ContainerResource', containerResource: { name: src.name, container, current } }
      : { type: 'Resource', resource: { name: src.name, current } };
  try {
    if (target.type === 'AverageValue' && target.averageValue !== undefined) {
      const r = plainMetricReplicas(
        specReplicas,
        quantityToMilli(target.averageValue),
        src.name,
        pods,
        raw,
        nowMs,
        input.tolerance ?? TOLERANCE,
      );
      return { replicas: r.replicas, name: `${kind.toLowerCase()} ${src.name}`, status: wrap({ averageValue: milliQuantity(r.usage) }) };
    }
    if (target.averageUtilization === undefined)
      throw new Error('invalid resource metric source: neither a utilization target nor a value target was set');
    const requests = podRequests(pods, src.name, container);
    const r = resourceReplicas(specReplicas, target.averageUtilization, src.name, pods, raw, requests, nowMs, input.tolerance ?? TOLERANCE);
    return {
      replicas: r.replicas,
      name: `${container ? 'container ' : ''}${src.name} resource utilization (percentage of request)`,
      status: wrap({ averageUtilization: r.utilization, averageValue: milliQuantity(r.rawAverage) }),
    };
  } catch (err) {
    if (err instanceof MetricError) throw err;
    throw fail(`the HPA was unable to compute the replica count: ${(err as Error).message}`);
  }
}

/** Computes one metric's replica proposal; throws a {@link MetricError} when it cannot. */
export async function computeMetric(input: MetricInput): Promise<MetricProposal> {
  const { spec, namespace, pods, nowMs, specReplicas, statusReplicas, metrics } = input;
  const tolerance = input.tolerance ?? TOLERANCE;
  switch (spec.type) {
    case 'Resource':
      if (!spec.resource)
        throw new MetricError('InvalidMetricSourceType', 'the HPA was unable to compute the replica count: resource is not set');
      return resource(input, spec.resource);
    case 'ContainerResource':
      if (!spec.containerResource)
        throw new MetricError('InvalidMetricSourceType', 'the HPA was unable to compute the replica count: containerResource is not set');
      return resource(input, spec.containerResource, spec.containerResource.container);
    case 'Pods': {
      const src = spec.pods;
      if (!src) throw new MetricError('InvalidMetricSourceType', 'the HPA was unable to compute the replica count: pods is not set');
      try {
        const raw = await metrics.podsMetric(src.metric, namespace, pods);
        const target = quantityToMilli(src.target.averageValue ?? 0) / 1000;
        const milli = new Map([...raw].map(([k, v]) => [k, { ...v, value: v.value }]));
        const r = plainMetricReplicas(specReplicas, target, undefined, pods, milli, nowMs, tolerance);
        return {
          replicas: r.replicas,
          name: `pods metric ${src.metric.name}`,
          status: { type: 'Pods', pods: { metric: src.metric, current: { averageValue: milliQuantity(r.usage * 1000) } } },
        };
      } catch (err) {
        throw new MetricError(
          'FailedGetPodsMetric',
          `the HPA was unable to compute the replica count: unable to get metric ${src.metric.name}: ${(err as Error).message}`,
        );
      }
    }
    case 'Object': {
      const src = spec.object;
      if (!src) throw new MetricError('InvalidMetricSourceType', 'the HPA was unable to compute the replica count: object is not set');
      try {
        const usage = await metrics.objectMetric(src.metric, namespace, src.describedObject);
        const base = { metric: src.metric, describedObject: src.describedObject };
        if (src.target.type === 'Value' && src.target.value !== undefined) {
          const target = quantityToMilli(src.target.value) / 1000;
          const replicas = usageRatioReplicas(specReplicas, usage / target, readyPods(pods), tolerance);
          return {
            replicas,
            name: `${src.metric.name} metric`,
            status: { type: 'Object', object: { ...base, current: { value: milliQuantity(usage * 1000) } } },
          };
        }
        if (src.target.averageValue === undefined)
          throw new Error('invalid object metric source: neither a value target nor an average value target was set');
        const r = perPodReplicas(statusReplicas, usage, quantityToMilli(src.target.averageValue) / 1000, tolerance);
        return {
          replicas: r.replicas,
          name: `${src.metric.name} metric`,
          status: { type: 'Object', object: { ...base, current: { averageValue: milliQuantity(r.average * 1000) } } },
        };
      } catch (err) {
        throw new MetricError(
          'FailedGetObjectMetric',
          `the HPA was unable to compute the replica count: unable to get metric ${src.metric.name}: ${(err as Error).message}`,
        );
      }
    }
    case 'External': {
      const src = spec.external;
      if (!src) throw new MetricError('InvalidMetricSourceType', 'the HPA was unable to compute the replica count: external is not set');
      try {
        const usage = (await metrics.externalMetric(src.metric, namespace)).reduce((a, b) => a + b, 0);
        if (src.target.type === 'Value' && src.target.value !== undefined) {
          const target = quantityToMilli(src.target.value) / 1000;
          const replicas = usageRatioReplicas(specReplicas, usage / target, readyPods(pods), tolerance);
          return {
            replicas,
            name: `external metric ${src.metric.name}`,
            status: { type: 'External', external: { metric: src.metric, current: { value: milliQuantity(usage * 1000) } } },
          };
        }
        if (src.target.averageValue === undefined)
          throw new Error('invalid external metric source: neither a value target nor an average value target was set');
        const r = perPodReplicas(statusReplicas, usage, quantityToMilli(src.target.averageValue) / 1000, tolerance);
        return {
          replicas: r.replicas,
          name: `external metric ${src.metric.name}`,
          status: { type: 'External', external: { metric: src.metric, current: { averageValue: milliQuantity(r.average * 1000) } } },
        };
      } catch (err) {
        throw new MetricError(
          'FailedGetExternalMetric',
          `the HPA was unable to compute the replica count: unable to get external metric ${src.metric.name}: ${(err as Error).message}`,
        );
      }
    }
    default:
      throw new MetricError(
        'InvalidMetricSourceType',
        `the HPA was unable to compute the replica count: unknown metric source type "${String(spec.type)}"`,
      );
  }
}
