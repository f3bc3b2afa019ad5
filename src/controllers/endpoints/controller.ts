/**
 * The Endpoints controller (v1 Endpoints, kube-controller-manager's endpoint controller): for
 * each Service with a selector, an Endpoints object of the same name listing the matching pods'
 * IPs, ready ones in `addresses` and the rest in `notReadyAddresses`, in one subset per port
 * mapping. A Service without a selector keeps the Endpoints its owner writes; the Endpoints of a
 * deleted Service go.
 */
import type { Endpoints, Pod, Service, core } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import { jsonEqual } from '../../model/json.js';
import type { Controller, ReconcileRequest, WatchSource } from '../runtime/types.js';
import { serviceEndpoints, servicesSelecting, type ServiceEndpoint } from '../util/service-endpoints.js';

const SERVICE = { apiVersion: 'v1', kind: 'Service' } as const;
const POD = { apiVersion: 'v1', kind: 'Pod' } as const;

/** The pod watch shared by the endpoint controllers: a pod event enqueues the Services that select it. */
export function podToServices(): WatchSource {
  return {
    ...POD,
    async map(obj, cache): Promise<ReconcileRequest[]> {
      const pod = obj as Pod;
      const services = await cache.list<Service>(SERVICE.apiVersion, SERVICE.kind, { namespace: pod.metadata.namespace });
      return servicesSelecting(services, pod).map((s) => ({ namespace: s.metadata.namespace, name: s.metadata.name ?? '' }));
    },
  };
}

function address(e: ServiceEndpoint): core.EndpointAddress {
  const pod = e.pod;
  return {
    ip: e.ip,
    ...(e.hostname ? { hostname: e.hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

/** The subsets of an Endpoints object (pure): one per distinct port mapping, addresses by IP. */
export function endpointSubsets(endpoints: readonly ServiceEndpoint[]): core.EndpointSubset[] {
  const groups = new Map<string, core.EndpointSubset>();
  for (const e of endpoints) {
    const ports = e.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol }));
    const key = JSON.stringify(ports);
    let subset = groups.get(key);
    if (!subset) groups.set(key, (subset = { ports }));
    if (e.ready) (subset.addresses ??= []).push(address(e));
    else (subset.notReadyAddresses ??= []).push(address(e));
  }
  const byIp = (a: core.EndpointAddress, b: core.EndpointAddress) => a.ip.localeCompare(b.ip);
  for (const s of groups.values()) {
    s.addresses?.sort(byIp);
    s.notReadyAddresses?.sort(byIp);
    if (s.ports?.length === 0) delete s.ports;
  }
  return [...groups.values()];
}

/** Creates the Endpoints controller. */
export function endpointsController(): Controller {
  return {
    name: 'endpoints-controller',
    for: SERVICE,
    watches: [podToServices()],
    async reconcile(request, ctx) {
      const { namespace, name } = request;
      const client = ctx.client<Endpoints>('v1', 'Endpoints', namespace);
      const service = await ctx.cache.get<Service>(SERVICE.apiVersion, SERVICE.kind, namespace, name);
      if (!service || service.metadata.deletionTimestamp) {
        if (!service) await deleteIfPresent(() => client.delete(name));
        return;
      }
      if (!service.spec?.selector || Object.keys(service.spec.selector).length === 0) return;
      const pods = await ctx.cache.list<Pod>(POD.apiVersion, POD.kind, { namespace });
      const subsets = endpointSubsets(serviceEndpoints(service, pods, false));
      const wantLabels: Record<string, string> = { ...(service.metadata.labels ?? {}) };
      if (service.spec.clusterIP === 'None') wantLabels['service.kubernetes.io/headless'] = '';
      const existing = await client.find(name);
      if (!existing) {
        await client.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels: wantLabels }, subsets });
        return;
      }
      if (jsonEqual(existing.subsets ?? [], subsets) && jsonEqual(existing.metadata.labels ?? {}, wantLabels)) return;
      await client.update({ ...existing, metadata: { ...existing.metadata, labels: wantLabels }, subsets });
    },
  };
}

/** Runs a delete, taking NotFound as done. */
export async function deleteIfPresent(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (err) {
    if (!TugboatError.is(err, 'NotFound')) throw err;
  }
}
