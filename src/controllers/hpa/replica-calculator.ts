/**
 * The HPA's replica calculator (Kubernetes' podautoscaler/replica_calculator.go) as pure
 * functions: from per-pod metrics, pod states and requests to a replica count. Pods being
 * deleted, failed or pending are ignored; pods without a metric count as using 100% (or the
 * target) on a scale down and 0 on a scale up; unready pods (cpu only) count as 0 on a scale up;
 * a change within the tolerance (0.1) does nothing.
 */
import type { Pod } from '../../model/types.js';
import { getCondition } from '../../model/conditions.js';
import { quantityToMilli } from '../../model/quantity.js';
import { timeMs } from '../util/time.js';
import type { PodMetric } from './types.js';

/** Kubernetes' default --horizontal-pod-autoscaler-tolerance. */
export const TOLERANCE = 0.1;
/** Kubernetes' default --horizontal-pod-autoscaler-cpu-initialization-period. */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60 * 1000;
/** Kubernetes' default --horizontal-pod-autoscaler-initial-readiness-delay. */
export const INITIAL_READINESS_DELAY_MS = 30 * 1000;

/** The pods of a calculation sorted as groupPods sorts them. */
export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** Groups pods (groupPods): ignored (deleting, failed, pending), missing a metric, unready (cpu only), ready. */
export function groupPods(
  pods: readonly Pod[],
  metrics: ReadonlyMap<string, PodMetric>,
  resource: string | undefined,
  nowMs: number,
): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const phase = pod.status?.phase;
    if (pod.metadata.deletionTimestamp || phase === 'Failed' || phase === 'Pending' || phase === undefined) {
      g.ignored.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const ready = getCondition(pod.status?.conditions, 'Ready');
      const start = timeMs(pod.status?.startTime);
      let unready: boolean;
      if (!ready || start === undefined) unready = true;
      else {
        const transition = timeMs(ready.lastTransitionTime) ?? 0;
        if (start + CPU_INITIALIZATION_PERIOD_MS > nowMs) {
          unready = ready.status === 'False' || metric.timestampMs < transition + metric.windowMs;
        } else {
          unready = ready.status === 'False' && start + INITIAL_READINESS_DELAY_MS > transition;
        }
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/** Per pod, the sum of its containers' (or one container's) requests of `resource`, in milli-units; an error names a container without one. */
export function podRequests(pods: readonly Pod[], resource: string, container?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? []) {
      if (container && c.name !== container) continue;
      const req = c.resources?.requests?.[resource];
      if (req === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += quantityToMilli(req);
    }
    out.set(pod.metadata.name ?? '', sum);
  }
  return out;
}

/** Utilization of the metrics against the requests (GetResourceUtilizationRatio). */
export function utilizationRatio(
  metrics: ReadonlyMap<string, number>,
  requests: ReadonlyMap<string, number>,
  target: number,
): { ratio: number; utilization: number; rawAverage: number } {
  let total = 0;
  let requested = 0;
  let n = 0;
  for (const [name, v] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    total += v;
    requested += r;
    n++;
  }
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.floor((total * 100) / requested);
  return { ratio: utilization / target, utilization, rawAverage: Math.floor(total / n) };
}

function values(metrics: ReadonlyMap<string, PodMetric>, drop: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of metrics) out.set(k, v.value);
  for (const k of drop) out.delete(k);
  return out;
}

/** What a resource utilization calculation answers. */
export interface ResourceReplicas {
  replicas: number;
  utilization: number;
  rawAverage: number;
}

/** Replicas for a Utilization target of a resource (GetResourceReplicas). */
export function resourceReplicas(
  current: number,
  target: number,
  resource: string,
  pods: readonly Pod[],
  metrics: ReadonlyMap<string, PodMetric>,
  requests: ReadonlyMap<string, number>,
  nowMs: number,
  tolerance = TOLERANCE,
): ResourceReplicas {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, metrics, resource, nowMs);
  const m = values(metrics, [...g.ignored, ...g.unready]);
  if (m.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, utilization, rawAverage } = utilizationRatio(m, requests, target);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return { replicas: current, utilization, rawAverage };
    return { replicas: Math.ceil(ratio * g.readyPodCount), utilization, rawAverage };
  }
  if (g.missing.size > 0) {
    const fallback = Math.max(100, target);
    for (const name of g.missing) m.set(name, ratio < 1 ? ((requests.get(name) ?? 0) * fallback) / 100 : 0);
  }
  if (scaleUpWithUnready) for (const name of g.unready) m.set(name, 0);
  const next = utilizationRatio(m, requests, target).ratio;
  if (Math.abs(1 - next) <= tolerance || (ratio < 1 && next > 1) || (ratio > 1 && next < 1))
    return { replicas: current, utilization, rawAverage };
  const replicas = Math.ceil(next * m.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return { replicas: current, utilization, rawAverage };
  return { replicas, utilization, rawAverage };
}

/** Replicas for an AverageValue target of per-pod metrics (calcPlainMetricReplicas); `usage` is the average. */
export function plainMetricReplicas(
  current: number,
  target: number,
  resource: string | undefined,
  pods: readonly Pod[],
  metrics: ReadonlyMap<string, PodMetric>,
  nowMs: number,
  tolerance = TOLERANCE,
): { replicas: number; usage: number } {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, metrics, resource, nowMs);
  const m = values(metrics, [...g.ignored, ...g.unready]);
  if (m.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const ratioOf = (vs: Map<string, number>) => {
    let sum = 0;
    for (const v of vs.values()) sum += v;
    const usage = sum / vs.size;
    return { ratio: usage / target, usage };
  };
  const { ratio, usage } = ratioOf(m);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return { replicas: current, usage };
    return { replicas: Math.ceil(ratio * g.readyPodCount), usage };
  }
  if (g.missing.size > 0) for (const name of g.missing) m.set(name, ratio < 1 ? target : 0);
  if (scaleUpWithUnready) for (const name of g.unready) m.set(name, 0);
  const next = ratioOf(m).ratio;
  if (Math.abs(1 - next) <= tolerance || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return { replicas: current, usage };
  const replicas = Math.ceil(next * m.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return { replicas: current, usage };
  return { replicas, usage };
}

/** Replicas for a whole-target ratio (getUsageRatioReplicaCount): Object and External Value targets. */
export function usageRatioReplicas(current: number, ratio: number, readyPods: number, tolerance = TOLERANCE): number {
  if (current === 0) return Math.ceil(ratio);
  if (Math.abs(1 - ratio) <= tolerance) return current;
  return Math.ceil(ratio * readyPods);
}

/** Replicas for an AverageValue target of one total (Object and External per-pod metrics). */
export function perPodReplicas(
  statusReplicas: number,
  usage: number,
  targetAverage: number,
  tolerance = TOLERANCE,
): { replicas: number; average: number } {
  let replicas = statusReplicas;
  const ratio = usage / (targetAverage * replicas);
  if (!(Math.abs(1 - ratio) <= tolerance)) replicas = Math.ceil(usage / targetAverage);
  return { replicas, average: Math.ceil(usage / Math.max(1, statusReplicas)) };
}
