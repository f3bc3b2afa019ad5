/**
 * The `kubernetes` Service of `default`, as kube-apiserver's kubernetes-service controller and
 * endpoint reconciler keep it (pkg/controlplane/controller/kubernetesservice,
 * pkg/controlplane/reconcilers): a selector-less ClusterIP Service on the first IP of the
 * service CIDR, port 443 `https` with the serving port as targetPort, and an Endpoints and an
 * EndpointSlice `kubernetes` naming the address every serving API server is reached at. A server
 * that starts serving publishes its address; one that stops withdraws it (the last one leaves no
 * endpoint; the Service stays, as in Kubernetes). A cluster that never serves has neither.
 */
import type { ApiContext, ResourceClient } from '../client/types.js';
import { TugboatError } from '../model/errors.js';
import { formatIpv4, parseCidr } from '../model/ipv4-cidr.js';
import type { core, EndpointSlice, Endpoints, KubeObject, Service } from '../model/types.js';

/** The Service, Endpoints and EndpointSlice name (in `default`). */
export const KUBERNETES_SERVICE = 'kubernetes';

/** The field manager of these writes (kube-apiserver writes them in Kubernetes). */
export const KUBERNETES_SERVICE_MANAGER = 'tugboat-apiserver';

/** Where one API server is reached: an IP address and a port. */
export interface ApiEndpoint {
  address: string;
  port: number;
}

/** The `kubernetes` Service's IP: the first address of the service CIDR (`10.96.0.0/12` gives 10.96.0.1). */
export function kubernetesServiceIP(serviceCIDR: string): string {
  const cidr = parseCidr(serviceCIDR);
  if (!cidr) throw TugboatError.badRequest(`serviceCIDR: "${serviceCIDR}" is not an IPv4 CIDR (a.b.c.d/n)`);
  return formatIpv4(cidr.base + 1);
}

/** The DNS names of the `kubernetes` Service, as kube-apiserver puts them in its serving certificate. */
export function kubernetesServiceNames(domain = 'cluster.local'): string[] {
  return ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${domain}`];
}

const WRITE = { fieldManager: KUBERNETES_SERVICE_MANAGER } as const;
const HTTPS = 'https';

/** Retries `write` on Conflict and AlreadyExists (another server writing the same objects). */
async function retrying(write: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt < 5 && (TugboatError.is(err, 'Conflict') || TugboatError.is(err, 'AlreadyExists'))) continue;
      throw err;
    }
  }
}

/** Creates `obj`, or updates the stored one when `differs` says it should change. */
async function createOrUpdate<T extends KubeObject>(
  client: ResourceClient<T>,
  wanted: (current: T | undefined) => T | undefined,
): Promise<void> {
  await retrying(async () => {
    const current = await client.find(KUBERNETES_SERVICE);
    const next = wanted(current);
    if (!next) return;
    if (current) await client.update(next, WRITE);
    else await client.create(next, WRITE);
  });
}

function serviceFor(serviceIP: string, port: number, current: Service | undefined): Service | undefined {
  const ports: core.ServicePort[] = [{ name: HTTPS, protocol: 'TCP', port: 443, targetPort: port }];
  const spec = current?.spec;
  // As getMasterServiceUpdateIfNeeded: only the ports and the type are reconciled.
  if (current && spec?.type === 'ClusterIP' && JSON.stringify(spec.ports?.map(portKey)) === JSON.stringify(ports.map(portKey)))
    return undefined;
  if (current) return { ...current, spec: { ...current.spec, type: 'ClusterIP', ports } };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KUBERNETES_SERVICE, namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: serviceIP, ports, sessionAffinity: 'None' },
  };
}

function portKey(p: core.ServicePort): string {
  return `${p.name ?? ''}/${p.protocol ?? 'TCP'}/${p.port}/${String(p.targetPort ?? p.port)}`;
}

/** The subsets with `endpoint` added (`add`) or removed, one subset per port, `endpoint`'s first when added. */
function subsetsWith(subsets: readonly core.EndpointSubset[], endpoint: ApiEndpoint, add: boolean): core.EndpointSubset[] {
  const byPort = new Map<number, string[]>();
  if (add) byPort.set(endpoint.port, [endpoint.address]);
  for (const s of subsets) {
    const port = s.ports?.[0]?.port;
    if (port === undefined) continue;
    const ips = byPort.get(port) ?? [];
    for (const a of s.addresses ?? []) {
      if (port === endpoint.port && a.ip === endpoint.address) continue;
      if (!ips.includes(a.ip)) ips.push(a.ip);
    }
    byPort.set(port, ips);
  }
  if (add) byPort.get(endpoint.port)!.sort((a, b) => (a === endpoint.address ? -1 : b === endpoint.address ? 1 : 0));
  return [...byPort]
    .filter(([, ips]) => ips.length > 0)
    .map(([port, ips]) => ({ addresses: ips.map((ip) => ({ ip })), ports: [{ name: HTTPS, port, protocol: 'TCP' }] }));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Writes the Endpoints' subsets, and the EndpointSlice from its first subset (as kube-apiserver's EndpointsAdapter). */
async function writeEndpoints(
  context: ApiContext,
  change: (subsets: readonly core.EndpointSubset[]) => core.EndpointSubset[],
): Promise<void> {
  const endpoints = context.client<Endpoints>('v1', 'Endpoints', 'default');
  const slices = context.client<EndpointSlice>('discovery.k8s.io/v1', 'EndpointSlice', 'default');
  let subsets: core.EndpointSubset[] = [];
  await retrying(async () => {
    const current = await endpoints.find(KUBERNETES_SERVICE);
    subsets = change(current?.subsets ?? []);
    if (current && subsets.length === 0) {
      await endpoints.delete(KUBERNETES_SERVICE).catch((err: unknown) => {
        if (!TugboatError.is(err, 'NotFound')) throw err;
      });
      return;
    }
    if (current && same(current.subsets ?? [], subsets)) return;
    const metadata = { name: KUBERNETES_SERVICE, namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } };
    if (current) await endpoints.update({ ...current, subsets }, WRITE);
    else if (subsets.length > 0) await endpoints.create({ apiVersion: 'v1', kind: 'Endpoints', metadata, subsets }, WRITE);
  });
  const first = subsets[0];
  if (!first) {
    await slices.delete(KUBERNETES_SERVICE).catch((err: unknown) => {
      if (!TugboatError.is(err, 'NotFound')) throw err;
    });
    return;
  }
  const sliceEndpoints = (first.addresses ?? []).map((a) => ({ addresses: [a.ip], conditions: { ready: true } }));
  const ports = (first.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol }));
  await createOrUpdate(slices, (current) => {
    if (current && same(current.endpoints, sliceEndpoints) && same(current.ports, ports)) return undefined;
    const metadata = { name: KUBERNETES_SERVICE, namespace: 'default', labels: { 'kubernetes.io/service-name': KUBERNETES_SERVICE } };
    return {
      ...(current ?? { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata }),
      addressType: 'IPv4',
      endpoints: sliceEndpoints,
      ports,
    } as EndpointSlice;
  });
}

/**
 * Publishes `endpoint` as a serving API server's: creates the `kubernetes` Service (or
 * reconciles its ports to `endpoint.port`) and adds the address to its Endpoints and EndpointSlice.
 */
export async function publishKubernetesService(context: ApiContext, serviceIP: string, endpoint: ApiEndpoint): Promise<void> {
  await createOrUpdate(context.client<Service>('v1', 'Service', 'default'), (current) => serviceFor(serviceIP, endpoint.port, current));
  await writeEndpoints(context, (subsets) => subsetsWith(subsets, endpoint, true));
}

/** Withdraws `endpoint` (its server stops serving); the last one gone deletes the Endpoints and EndpointSlice. */
export async function withdrawKubernetesEndpoint(context: ApiContext, endpoint: ApiEndpoint): Promise<void> {
  await writeEndpoints(context, (subsets) => subsetsWith(subsets, endpoint, false));
}
