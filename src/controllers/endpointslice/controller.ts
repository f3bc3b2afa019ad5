/**
 * The EndpointSlice controller (discovery.k8s.io/v1, kube-controller-manager's endpointslice
 * controller): for each Service with a selector, EndpointSlices labelled
 * `kubernetes.io/service-name` and managed-by `endpointslice-controller.k8s.io`, owned by the
 * Service (so they go with it), one per distinct port mapping and at most 100 endpoints each,
 * every endpoint with its ready, serving and terminating conditions. Terminating pods stay
 * listed (not ready) while they serve, as in Kubernetes.
 */
import type { EndpointSlice, Pod, Service, discovery } from '../../model/types.js';
import { jsonEqual } from '../../model/json.js';
import type { Controller } from '../runtime/types.js';
import { controllerRef } from '../util/controller-ref.js';
import { createHash } from 'node:crypto';
import { serviceEndpoints, type ServiceEndpoint } from '../util/service-endpoints.js';
import { deleteIfPresent, podToServices } from '../endpoints/controller.js';

const SERVICE = { apiVersion: 'v1', kind: 'Service' } as const;
const SLICE = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' } as const;

/** The label naming a slice's Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** The label naming who manages a slice. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** This controller's managed-by value, as Kubernetes'. */
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
/** Endpoints per slice (kube-controller-manager's --max-endpoints-per-slice default). */
export const MAX_ENDPOINTS_PER_SLICE = 100;

type SliceBody = Pick<EndpointSlice, 'addressType' | 'endpoints' | 'ports'>;

function endpointOf(e: ServiceEndpoint): discovery.Endpoint {
  const pod = e.pod;
  return {
    addresses: [e.ip],
    conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
    ...(e.hostname ? { hostname: e.hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

/** The slices a Service's endpoints make (pure): grouped by port mapping, chunked by `max`. */
export function desiredSlices(endpoints: readonly ServiceEndpoint[], max = MAX_ENDPOINTS_PER_SLICE): SliceBody[] {
  const groups = new Map<string, { ports: discovery.EndpointPort[]; endpoints: discovery.Endpoint[] }>();
  for (const e of endpoints) {
    const ports = e.ports.map((p) => ({
      name: p.name,
      port: p.port,
      protocol: p.protocol,
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(endpointOf(e));
  }
  const out: SliceBody[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints.length; i += max) {
      out.push({ addressType: 'IPv4', ports: g.ports, endpoints: g.endpoints.slice(i, i + max) });
    }
  }
  return out;
}

/** Creates the EndpointSlice controller. */
export function endpointSliceController(): Controller {
  return {
    name: 'endpointslice-controller',
    for: SERVICE,
    owns: [SLICE],
    watches: [podToServices()],
    async reconcile(request, ctx) {
      const { namespace, name } = request;
      const client = ctx.client<EndpointSlice>(SLICE.apiVersion, SLICE.kind, namespace);
      const service = await ctx.cache.get<Service>(SERVICE.apiVersion, SERVICE.kind, namespace, name);
      const existing = (await client.list({ labelSelector: `${SERVICE_NAME_LABEL}=${name},${MANAGED_BY_LABEL}=${MANAGED_BY}` })).items.sort(
        (a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
      );
      if (!service || service.metadata.deletionTimestamp || !service.spec?.selector || Object.keys(service.spec.selector).length === 0) {
        for (const s of existing) await deleteIfPresent(() => client.delete(s.metadata.name ?? ''));
        return;
      }
      const pods = await ctx.cache.list<Pod>('v1', 'Pod', { namespace });
      const wanted = desiredSlices(serviceEndpoints(service, pods, true));
      // A Service without endpoints still has one (empty) slice, as in Kubernetes.
      if (wanted.length === 0) wanted.push({ addressType: 'IPv4', endpoints: [], ports: [] });
      const labels: Record<string, string> = {
        ...(service.metadata.labels ?? {}),
        [SERVICE_NAME_LABEL]: name,
        [MANAGED_BY_LABEL]: MANAGED_BY,
      };
      if (service.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
      const base = `${name}-${createHash('sha256')
        .update(service.metadata.uid ?? name)
        .digest('hex')
        .slice(0, 5)}`;
      const keep = new Set<string>();
      for (let i = 0; i < wanted.length; i++) {
        const body = wanted[i] as SliceBody;
        const reuse = existing[i];
        if (reuse) {
          keep.add(reuse.metadata.name ?? '');
          const same =
            jsonEqual(reuse.endpoints ?? [], body.endpoints ?? []) &&
            jsonEqual(reuse.ports ?? [], body.ports ?? []) &&
            jsonEqual(reuse.metadata.labels ?? {}, labels);
          if (!same) await client.update({ ...reuse, ...body, metadata: { ...reuse.metadata, labels } });
          continue;
        }
        const sliceName = i === 0 ? base : `${base}-${i}`;
        keep.add(sliceName);
        await client.create({
          ...SLICE,
          metadata: { name: sliceName, namespace, labels, ownerReferences: [controllerRef({ ...service, ...SERVICE })] },
          ...body,
        });
      }
      for (const s of existing) if (!keep.has(s.metadata.name ?? '')) await deleteIfPresent(() => client.delete(s.metadata.name ?? ''));
    },
  };
}
