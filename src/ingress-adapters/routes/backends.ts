/**
 * An Ingress backend resolved to endpoints: the Service port it names, the EndpointSlices of that
 * Service (label `kubernetes.io/service-name`) and their Ready endpoints on the port the slice
 * gives for that Service port (the resolved targetPort). A terminating endpoint is not ready and
 * is dropped at once; only when no endpoint is ready, the terminating ones that still serve
 * (`serving: true`, e.g. through a preStop sleep) are used, as kube-proxy's fallback (KEP-1669).
 */
import type { EndpointSlice, networking, Service } from '../../model/types.js';
import type { RouteBackend, RouteEndpoint } from '../types.js';

/** The label tying an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** What backends are resolved against: the Services and EndpointSlices, by namespace. */
export interface BackendSources {
  service(namespace: string, name: string): Service | undefined;
  endpointSlices(namespace: string, serviceName: string): readonly EndpointSlice[];
}

/** A resolved backend, and why it has no endpoints when that is a misconfiguration. */
export interface ResolvedBackend {
  backend: RouteBackend;
  problem?: string;
}

/** Resolves an Ingress backend of namespace `namespace`. */
export function resolveBackend(namespace: string, b: networking.IngressBackend, sources: BackendSources): ResolvedBackend {
  if (!b.service) {
    const r = b.resource;
    const name = `${namespace}/${r?.kind ?? 'resource'}/${r?.name ?? ''}`;
    return { backend: { name, endpoints: [] }, problem: `resource backend ${name}: only Service backends are served` };
  }
  const { name: svcName, port } = b.service;
  const portLabel = port?.name ?? String(port?.number ?? '');
  const name = `${namespace}/${svcName}:${portLabel}`;
  const svc = sources.service(namespace, svcName);
  if (!svc) return { backend: { name, endpoints: [] }, problem: `service "${namespace}/${svcName}" not found` };
  const sp = (svc.spec?.ports ?? []).find((p) => (port?.name ? p.name === port.name : p.port === port?.number));
  if (!sp) return { backend: { name, endpoints: [] }, problem: `service "${namespace}/${svcName}" has no port ${portLabel}` };
  const portName = sp.name ?? '';
  const endpoints: RouteEndpoint[] = [];
  const fallback: RouteEndpoint[] = [];
  const seen = new Set<string>();
  for (const slice of sources.endpointSlices(namespace, svcName)) {
    if (slice.addressType === 'FQDN') continue;
    const slicePort = (slice.ports ?? []).find((p) => (p.name ?? '') === portName);
    if (!slicePort?.port) continue;
    for (const ep of slice.endpoints ?? []) {
      const c = ep.conditions;
      const ready = c?.ready !== false;
      if (!ready && !(c?.serving === true && c.terminating === true)) continue;
      const address = ep.addresses?.[0];
      if (!address) continue;
      const key = `${address}:${slicePort.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      (ready ? endpoints : fallback).push({ address, port: slicePort.port });
    }
  }
  const chosen = endpoints.length > 0 ? endpoints : fallback;
  chosen.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : x.port - y.port));
  return { backend: { name, endpoints: chosen } };
}
