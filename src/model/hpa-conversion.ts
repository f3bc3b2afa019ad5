/**
 * Conversion between the two served versions of HorizontalPodAutoscaler, as Kubernetes'
 * pkg/apis/autoscaling/v1 conversion does it: autoscaling/v1's targetCPUUtilizationPercentage is
 * a v2 Resource metric on cpu with a Utilization target (80% when there is no metric at all), and
 * what v1 has no field for travels in annotations, so a v1 client that reads an object and writes
 * it back loses nothing: the other metrics (autoscaling.alpha.kubernetes.io/metrics), the current
 * metrics, the conditions and the behavior. The metric JSON of the annotations is Go's
 * autoscaling/v1 MetricSpec and MetricStatus (metricName, targetAverageValue, ...), the behavior's
 * Go's internal field names (ScaleUp, StabilizationWindowSeconds, ...), as Kubernetes writes them.
 */
import type { autoscaling, autoscalingv1, HorizontalPodAutoscaler, KubeObject } from './types.js';
import { TugboatError } from './errors.js';
import {
  HPA_BEHAVIOR_ANNOTATION,
  HPA_CONDITIONS_ANNOTATION,
  HPA_CURRENT_METRICS_ANNOTATION,
  HPA_METRICS_ANNOTATION,
} from './well-known.js';
import { metricSpecToV1, metricSpecFromV1, metricStatusToV1, metricStatusFromV1, type Json } from './hpa-metric-conversion.js';

/** An autoscaling/v1 HorizontalPodAutoscaler. */
export type HorizontalPodAutoscalerV1 = KubeObject & {
  spec?: autoscalingv1.HorizontalPodAutoscalerSpec;
  status?: autoscalingv1.HorizontalPodAutoscalerStatus;
};

/** Kubernetes' autoscaling.DefaultCPUUtilization: the target of a v1 HPA that names none. */
const DEFAULT_CPU_UTILIZATION = 80;

/** The annotations the conversion writes on v1 objects and reads back from them. */
const ROUND_TRIP = [HPA_METRICS_ANNOTATION, HPA_CURRENT_METRICS_ANNOTATION, HPA_CONDITIONS_ANNOTATION, HPA_BEHAVIOR_ANNOTATION];

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A metric v1 carries as targetCPUUtilizationPercentage (and so leaves out of the annotation). */
function isCpuUtilization(m: autoscaling.MetricSpec): boolean {
  return m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.averageUtilization != null;
}

/** The annotations without the round-trip ones (undefined when none is left). */
function withoutRoundTrip(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!annotations || !ROUND_TRIP.some((k) => k in annotations)) return annotations;
  const out = { ...annotations };
  for (const k of ROUND_TRIP) delete out[k];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The JSON list of an annotation, or BadRequest naming it (as Kubernetes' decoder fails on it). */
function annotationList(annotations: Record<string, string> | undefined, key: string): Json[] | undefined {
  const text = annotations?.[key];
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw TugboatError.badRequest(`metadata.annotations[${key}]: Invalid value: not JSON: ${(err as Error).message}`);
  }
  if (value === null) return [];
  if (!Array.isArray(value) || !value.every(isObj)) {
    throw TugboatError.badRequest(`metadata.annotations[${key}]: Invalid value: must be a JSON list of objects`);
  }
  return value;
}

/** Go's json of the internal HorizontalPodAutoscalerBehavior (no json tags: Go's field names). */
function behaviorToGo(b: autoscaling.HorizontalPodAutoscalerBehavior): Json {
  const rules = (r: autoscaling.HPAScalingRules | undefined): Json | null =>
    r
      ? {
          StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
          SelectPolicy: r.selectPolicy ?? null,
          Policies: r.policies ? r.policies.map((p) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) : null,
        }
      : null;
  return { ScaleUp: rules(b.scaleUp), ScaleDown: rules(b.scaleDown) };
}

/** A key of an object read as Go's decoder does (case-insensitively). */
function field(obj: Json, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The behavior of the annotation; undefined when malformed or empty (Kubernetes ignores it then). */
function behaviorFromGo(text: string | undefined): autoscaling.HorizontalPodAutoscalerBehavior | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObj(value)) return undefined;
  const rules = (r: unknown): autoscaling.HPAScalingRules | undefined => {
    if (!isObj(r)) return undefined;
    const out: autoscaling.HPAScalingRules = {};
    const window = field(r, 'StabilizationWindowSeconds');
    const select = field(r, 'SelectPolicy');
    const policies = field(r, 'Policies');
    if (typeof window === 'number') out.stabilizationWindowSeconds = window;
    if (typeof select === 'string') out.selectPolicy = select;
    if (Array.isArray(policies)) {
      out.policies = policies.filter(isObj).map((p) => ({
        type: String(field(p, 'Type') ?? ''),
        value: Number(field(p, 'Value') ?? 0),
        periodSeconds: Number(field(p, 'PeriodSeconds') ?? 0),
      }));
    }
    return out;
  };
  const scaleUp = rules(field(value, 'ScaleUp'));
  const scaleDown = rules(field(value, 'ScaleDown'));
  if (!scaleUp && !scaleDown) return undefined;
  return { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) };
}

/**
 * The autoscaling/v2 form of a v1 HPA (Convert_v1_HorizontalPodAutoscaler_To_autoscaling): the
 * metrics of the annotation first, then the cpu target; current metrics, conditions and behavior
 * from their annotations; the round-trip annotations dropped. BadRequest for an annotation that
 * is not a JSON list.
 */
export function hpaV1ToV2(hpa: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const spec = hpa.spec;
  const s = hpa.status;
  const annotations = hpa.metadata?.annotations;
  const metrics: autoscaling.MetricSpec[] = (annotationList(annotations, HPA_METRICS_ANNOTATION) ?? []).map(metricSpecFromV1);
  if (spec?.targetCPUUtilizationPercentage != null) {
    metrics.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } },
    });
  }
  if (metrics.length === 0) {
    metrics.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } },
    });
  }
  const behavior = behaviorFromGo(annotations?.[HPA_BEHAVIOR_ANNOTATION]);
  const currentMetrics = annotationList(annotations, HPA_CURRENT_METRICS_ANNOTATION)?.map(metricStatusFromV1);
  const conditions = annotationList(annotations, HPA_CONDITIONS_ANNOTATION) as autoscaling.HorizontalPodAutoscalerCondition[] | undefined;
  const cpu = s?.currentCPUUtilizationPercentage;
  const metadata = { ...hpa.metadata };
  const kept = withoutRoundTrip(annotations);
  if (kept) metadata.annotations = kept;
  else delete metadata.annotations;
  const { spec: _spec, status: _status, ...rest } = hpa;
  return {
    ...rest,
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: spec?.scaleTargetRef ?? { kind: '', name: '' },
      minReplicas: spec?.minReplicas ?? 1,
      maxReplicas: spec?.maxReplicas ?? 0,
      metrics,
      ...(behavior ? { behavior } : {}),
    },
    ...(s || currentMetrics || conditions
      ? {
          status: {
            ...(s?.observedGeneration !== undefined ? { observedGeneration: s.observedGeneration } : {}),
            ...(s?.lastScaleTime ? { lastScaleTime: s.lastScaleTime } : {}),
            currentReplicas: s?.currentReplicas ?? 0,
            desiredReplicas: s?.desiredReplicas ?? 0,
            ...(currentMetrics
              ? { currentMetrics }
              : cpu != null
                ? { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cpu } } }] }
                : {}),
            ...(conditions ? { conditions } : {}),
          },
        }
      : {}),
  } as HorizontalPodAutoscaler;
}

/**
 * The autoscaling/v1 form of a v2 HPA (Convert_autoscaling_HorizontalPodAutoscaler_To_v1): the
 * first cpu Resource metric's utilization as targetCPUUtilizationPercentage, every other metric,
 * the current metrics, the conditions and the behavior in their annotations.
 */
export function hpaV2ToV1(hpa: HorizontalPodAutoscaler): HorizontalPodAutoscalerV1 {
  const spec = hpa.spec;
  const metrics = spec?.metrics ?? [];
  const status = hpa.status ?? { desiredReplicas: 0 };
  const annotations: Record<string, string> = { ...withoutRoundTrip(hpa.metadata?.annotations) };
  const others = metrics.filter((m) => !isCpuUtilization(m));
  if (others.length > 0) annotations[HPA_METRICS_ANNOTATION] = JSON.stringify(others.map(metricSpecToV1));
  if (status.currentMetrics?.length)
    annotations[HPA_CURRENT_METRICS_ANNOTATION] = JSON.stringify(status.currentMetrics.map(metricStatusToV1));
  if (status.conditions?.length) {
    annotations[HPA_CONDITIONS_ANNOTATION] = JSON.stringify(
      status.conditions.map((c) => ({
        type: c.type,
        status: c.status,
        lastTransitionTime: c.lastTransitionTime ?? null,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
      })),
    );
  }
  if (spec?.behavior) annotations[HPA_BEHAVIOR_ANNOTATION] = JSON.stringify(behaviorToGo(spec.behavior));
  const metadata = { ...hpa.metadata };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  // The first cpu Resource metric decides, with or without a utilization target (as Kubernetes' loop breaks there).
  const cpu = metrics.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.target?.averageUtilization;
  const ref = spec?.scaleTargetRef;
  const { spec: _spec, status: _status, ...rest } = hpa;
  return {
    ...rest,
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: { kind: ref?.kind ?? '', name: ref?.name ?? '', ...(ref?.apiVersion ? { apiVersion: ref.apiVersion } : {}) },
      ...(spec?.minReplicas != null ? { minReplicas: spec.minReplicas } : {}),
      maxReplicas: spec?.maxReplicas ?? 0,
      ...(cpu != null ? { targetCPUUtilizationPercentage: cpu } : {}),
    },
    status: hpaStatusV2ToV1(status),
  };
}

/**
 * The autoscaling/v1 status of a v2 status: the counts, and the cpu utilization of the last cpu
 * Resource metric that has one (Kubernetes' loop does not stop at the first).
 */
export function hpaStatusV2ToV1(status: autoscaling.HorizontalPodAutoscalerStatus): autoscalingv1.HorizontalPodAutoscalerStatus {
  let cpu: number | undefined;
  for (const m of status.currentMetrics ?? []) {
    const u = m.type === 'Resource' && m.resource?.name === 'cpu' ? m.resource.current?.averageUtilization : undefined;
    if (u != null) cpu = u;
  }
  return {
    ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
    ...(status.lastScaleTime ? { lastScaleTime: status.lastScaleTime } : {}),
    currentReplicas: status.currentReplicas ?? 0,
    desiredReplicas: status.desiredReplicas ?? 0,
    ...(cpu !== undefined ? { currentCPUUtilizationPercentage: cpu } : {}),
  };
}
