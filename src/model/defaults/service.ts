/** Kubernetes' defaulting of Services, Endpoints and EndpointSlices. */
import type { core, discovery } from '../types.js';

/** Service: type ClusterIP, sessionAffinity None, port protocol TCP, targetPort = port, traffic policies Cluster. */
export function defaultService(svc: { spec?: core.ServiceSpec }): void {
  const spec = svc.spec;
  if (!spec) return;
  spec.type ||= 'ClusterIP';
  spec.sessionAffinity ||= 'None';
  for (const p of spec.ports ?? []) {
    p.protocol ||= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ||= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ||= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= {};
    spec.sessionAffinityConfig.clientIP ??= {};
    spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
}

/** Endpoints: port protocol TCP. */
export function defaultEndpoints(ep: { subsets?: core.EndpointSubset[] }): void {
  for (const s of ep.subsets ?? []) for (const p of s.ports ?? []) p.protocol ||= 'TCP';
}

/** EndpointSlice: port protocol TCP, name ''. */
export function defaultEndpointSlice(es: { ports?: discovery.EndpointPort[] }): void {
  for (const p of es.ports ?? []) {
    p.protocol ||= 'TCP';
    p.name ??= '';
  }
}
