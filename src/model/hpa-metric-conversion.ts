/**
 * HorizontalPodAutoscaler metrics between autoscaling/v2 and the autoscaling/v1 shape Kubernetes
 * keeps them in on v1 objects' annotations (Go's autoscaling/v1 MetricSpec and MetricStatus:
 * metricName, targetValue, targetAverageValue, currentAverageUtilization, ...). A quantity Go
 * declares without a pointer is "0" when unset, as Go's encoder writes it.
 */
import type { autoscaling } from './types.js';

/** A JSON object. */
export type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json => (isObj(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A Quantity field Go declares without a pointer: "0" when unset. */
const qty = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '0');

/** Keeps the entries whose value is set. */
function set(entries: Record<string, unknown>): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

function refToV1(r: autoscaling.CrossVersionObjectReference | undefined): Json {
  return set({ kind: r?.kind ?? '', name: r?.name ?? '', apiVersion: r?.apiVersion });
}

function refFromV1(r: unknown): autoscaling.CrossVersionObjectReference {
  const o = obj(r);
  return set({ kind: str(o.kind), name: str(o.name), apiVersion: o.apiVersion }) as unknown as autoscaling.CrossVersionObjectReference;
}

/** Go's autoscaling/v1 MetricSpec of a v2 metric. */
export function metricSpecToV1(m: autoscaling.MetricSpec): Json {
  const out: Json = { type: m.type };
  if (m.object) {
    const t = m.object.target;
    out.object = set({
      target: refToV1(m.object.describedObject),
      metricName: m.object.metric?.name ?? '',
      targetValue: qty(t?.value),
      selector: m.object.metric?.selector,
      averageValue: t?.averageValue,
    });
  }
  if (m.pods) {
    out.pods = set({
      metricName: m.pods.metric?.name ?? '',
      targetAverageValue: qty(m.pods.target?.averageValue),
      selector: m.pods.metric?.selector,
    });
  }
  if (m.resource) {
    const t = m.resource.target;
    out.resource = set({ name: m.resource.name, targetAverageUtilization: t?.averageUtilization, targetAverageValue: t?.averageValue });
  }
  if (m.containerResource) {
    const c = m.containerResource;
    out.containerResource = set({
      name: c.name,
      targetAverageUtilization: c.target?.averageUtilization,
      targetAverageValue: c.target?.averageValue,
      container: c.container ?? '',
    });
  }
  if (m.external) {
    const t = m.external.target;
    out.external = set({
      metricName: m.external.metric?.name ?? '',
      metricSelector: m.external.metric?.selector,
      targetValue: t?.value,
      targetAverageValue: t?.averageValue,
    });
  }
  return out;
}

/** The v2 metric of Go's autoscaling/v1 MetricSpec (the target type follows from which value is set). */
export function metricSpecFromV1(m: Json): autoscaling.MetricSpec {
  const out: Json = { type: str(m.type) };
  if (isObj(m.object)) {
    const o = m.object;
    out.object = {
      describedObject: refFromV1(o.target),
      metric: set({ name: str(o.metricName), selector: o.selector }),
      target: set({ type: o.averageValue == null ? 'Value' : 'AverageValue', value: qty(o.targetValue), averageValue: o.averageValue }),
    };
  }
  if (isObj(m.pods)) {
    const p = m.pods;
    out.pods = {
      metric: set({ name: str(p.metricName), selector: p.selector }),
      target: { type: 'AverageValue', averageValue: qty(p.targetAverageValue) },
    };
  }
  const resourceLike = (r: Json, container: boolean): Json => ({
    name: str(r.name),
    ...(container ? { container: str(r.container) } : {}),
    target: set({
      type: r.targetAverageUtilization == null ? 'AverageValue' : 'Utilization',
      averageUtilization: r.targetAverageUtilization,
      averageValue: r.targetAverageValue,
    }),
  });
  if (isObj(m.resource)) out.resource = resourceLike(m.resource, false);
  if (isObj(m.containerResource)) out.containerResource = resourceLike(m.containerResource, true);
  if (isObj(m.external)) {
    const e = m.external;
    out.external = {
      metric: set({ name: str(e.metricName), selector: e.metricSelector }),
      target: set({ type: e.targetValue == null ? 'AverageValue' : 'Value', value: e.targetValue, averageValue: e.targetAverageValue }),
    };
  }
  return out as unknown as autoscaling.MetricSpec;
}

/** Go's autoscaling/v1 MetricStatus of a v2 metric status. */
export function metricStatusToV1(m: autoscaling.MetricStatus): Json {
  const out: Json = { type: m.type };
  if (m.object) {
    const c = m.object.current;
    out.object = set({
      target: refToV1(m.object.describedObject),
      metricName: m.object.metric?.name ?? '',
      currentValue: qty(c?.value),
      selector: m.object.metric?.selector,
      averageValue: c?.averageValue,
    });
  }
  if (m.pods) {
    out.pods = set({
      metricName: m.pods.metric?.name ?? '',
      currentAverageValue: qty(m.pods.current?.averageValue),
      selector: m.pods.metric?.selector,
    });
  }
  if (m.resource) {
    const c = m.resource.current;
    out.resource = set({
      name: m.resource.name,
      currentAverageUtilization: c?.averageUtilization,
      currentAverageValue: qty(c?.averageValue),
    });
  }
  if (m.containerResource) {
    const r = m.containerResource;
    out.containerResource = set({
      name: r.name,
      currentAverageUtilization: r.current?.averageUtilization,
      currentAverageValue: qty(r.current?.averageValue),
      container: r.container ?? '',
    });
  }
  if (m.external) {
    const c = m.external.current;
    out.external = set({
      metricName: m.external.metric?.name ?? '',
      metricSelector: m.external.metric?.selector,
      currentValue: qty(c?.value),
      currentAverageValue: c?.averageValue,
    });
  }
  return out;
}

/** The v2 metric status of Go's autoscaling/v1 MetricStatus. */
export function metricStatusFromV1(m: Json): autoscaling.MetricStatus {
  const out: Json = { type: str(m.type) };
  if (isObj(m.object)) {
    const o = m.object;
    out.object = {
      describedObject: refFromV1(o.target),
      metric: set({ name: str(o.metricName), selector: o.selector }),
      current: set({ value: qty(o.currentValue), averageValue: o.averageValue }),
    };
  }
  if (isObj(m.pods)) {
    const p = m.pods;
    out.pods = { metric: set({ name: str(p.metricName), selector: p.selector }), current: { averageValue: qty(p.currentAverageValue) } };
  }
  const resourceLike = (r: Json, container: boolean): Json => ({
    name: str(r.name),
    ...(container ? { container: str(r.container) } : {}),
    current: set({ averageUtilization: r.currentAverageUtilization, averageValue: qty(r.currentAverageValue) }),
  });
  if (isObj(m.resource)) out.resource = resourceLike(m.resource, false);
  if (isObj(m.containerResource)) out.containerResource = resourceLike(m.containerResource, true);
  if (isObj(m.external)) {
    const e = m.external;
    out.external = {
      metric: set({ name: str(e.metricName), selector: e.metricSelector }),
      current: set({ value: qty(e.currentValue), averageValue: e.currentAverageValue }),
    };
  }
  return out as unknown as autoscaling.MetricStatus;
}
