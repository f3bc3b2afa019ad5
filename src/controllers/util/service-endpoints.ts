/**
 * Which pods back a Service and on which ports, as Kubernetes' endpoint controllers decide
 * (pkg/controller/util/endpoint): pods the selector matches that have an IP and have not
 * finished; each Service port's targetPort resolved per pod (a named one through the pod's
 * container ports, a pod without it left out of that port); ready, serving and terminating from
 * the pod's Ready condition, its deletion and `publishNotReadyAddresses`. Pure.
 */
import type { Pod, Service } from '../../model/types.js';
import { isPodReady } from './pods.js';

/** One pod as an endpoint of a Service. */
export interface ServiceEndpoint {
  pod: Pod;
  ip: string;
  /** Ready to serve new traffic (Ready and not terminating, or publishNotReadyAddresses). */
  ready: boolean;
  /** Ready, whether terminating or not. */
  serving: boolean;
  terminating: boolean;
  /** The pod's hostname when its subdomain names the Service (DNS: `<hostname>.<service>`). */
  hostname?: string;
  /** The resolved ports, by Service port: name (''), port number on the pod, protocol. */
  ports: Array<{ name: string; port: number; protocol: string; appProtocol?: string }>;
}

/** True when a Service's selector (a map, all must match) selects the pod's labels. */
export function selectsPod(service: Service, pod: Pod): boolean {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  if (pod.metadata.namespace !== service.metadata.namespace) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The container port a targetPort names on a pod (a number is itself), or undefined. */
export function resolveTargetPort(pod: Pod, target: number | string | undefined, fallback: number, protocol: string): number | undefined {
  if (target === undefined || target === '' || target === 0) return fallback;
  if (typeof target === 'number') return target;
  if (/^[0-9]+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/**
 * The endpoints of a Service among `pods`.
 * @param includeTerminating keep pods being deleted (the EndpointSlice controller does, as not
 *   ready; the Endpoints controller only with publishNotReadyAddresses)
 */
export function serviceEndpoints(service: Service, pods: readonly Pod[], includeTerminating: boolean): ServiceEndpoint[] {
  const spec = service.spec ?? {};
  const publish = spec.publishNotReadyAddresses === true;
  const out: ServiceEndpoint[] = [];
  for (const pod of pods) {
    if (!selectsPod(service, pod)) continue;
    const ip = pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip;
    if (!ip) continue;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    if (terminating && !includeTerminating && !publish) continue;
    const serving = publish || isPodReady(pod);
    const ports: ServiceEndpoint['ports'] = [];
    for (const sp of spec.ports ?? []) {
      const protocol = sp.protocol ?? 'TCP';
      const port = resolveTargetPort(pod, sp.targetPort, sp.port, protocol);
      if (port === undefined) continue;
      ports.push({ name: sp.name ?? '', port, protocol, ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    if ((spec.ports?.length ?? 0) > 0 && ports.length === 0) continue;
    const hostname = pod.spec?.hostname && pod.spec?.subdomain === service.metadata.name ? pod.spec.hostname : undefined;
    out.push({ pod, ip, ready: serving && !terminating, serving, terminating, ...(hostname ? { hostname } : {}), ports });
  }
  out.sort((a, b) => (a.pod.metadata.name ?? '').localeCompare(b.pod.metadata.name ?? ''));
  return out;
}

/** A pod event's Services: those in the pod's namespace whose selector matches it. */
export function servicesSelecting(services: readonly Service[], pod: Pod): Service[] {
  return services.filter((s) => selectsPod(s, pod));
}
