/**
 * The answers of a cluster's DNS, as CoreDNS's kubernetes plugin gives them (pure: no I/O):
 * `<svc>.<ns>.svc.<domain>` (A: the clusterIP; a headless Service's Ready endpoint addresses;
 * CNAME: an ExternalName), `<host>.<svc>.<ns>.svc.<domain>` (a headless Service's endpoint by
 * hostname or dashed IP), `_<port>._<proto>.<svc>.<ns>.svc.<domain>` (SRV of a named port),
 * `<a-b-c-d>.<ns>.pod.<domain>` (A), NXDOMAIN for any other name under the domain.
 * @see https://github.com/kubernetes/dns/blob/master/docs/specification.md
 */
import type { EndpointSlice, Service } from '../../model/types.js';

/** What the resolver reads: Services and their EndpointSlices (an informer cache in a cluster). */
export interface ServiceDirectory {
  /** The Service `namespace/name`, if it exists. */
  service(namespace: string, name: string): Service | undefined;
  /** The EndpointSlices of the Service `namespace/name` (label `kubernetes.io/service-name`). */
  slices(namespace: string, service: string): readonly EndpointSlice[];
  /** Whether any Service lives in `namespace` (a namespace name alone answers NOERROR then). */
  hasNamespace(namespace: string): boolean;
}

/** One resource record of an answer. */
export type DnsRecord =
  | { type: 'A'; name: string; ttl: number; data: string }
  | { type: 'CNAME'; name: string; ttl: number; data: string }
  | { type: 'SRV'; name: string; ttl: number; data: { priority: number; weight: number; port: number; target: string } };

/** The answer to one question about a name under the cluster domain. */
export interface ClusterAnswer {
  /** NOERROR (the name exists; `answers` may be empty for a type it has none of) or NXDOMAIN. */
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: DnsRecord[];
  /** A records of SRV targets. */
  additionals: DnsRecord[];
}

/** The TTL of every answer, in seconds (CoreDNS's kubernetes plugin default). */
export const CLUSTER_DNS_TTL = 5;

const NX: ClusterAnswer = { rcode: 'NXDOMAIN', answers: [], additionals: [] };

interface Endpoint {
  ip: string;
  host: string;
  ports: Array<{ name: string; protocol: string; port: number }>;
}

/** The Ready endpoints of a Service, one per address, with their hostnames and ports. */
function readyEndpoints(slices: readonly EndpointSlice[]): Endpoint[] {
  const byIp = new Map<string, Endpoint>();
  for (const s of slices) {
    if (s.addressType && s.addressType !== 'IPv4') continue;
    for (const e of s.endpoints ?? []) {
      const ip = e.addresses?.[0];
      if (!ip || e.conditions?.ready === false) continue;
      const ep = byIp.get(ip) ?? { ip, host: e.hostname ?? ip.replaceAll('.', '-'), ports: [] };
      for (const p of s.ports ?? []) {
        if (p.port) ep.ports.push({ name: p.name ?? '', protocol: (p.protocol ?? 'TCP').toLowerCase(), port: p.port });
      }
      byIp.set(ip, ep);
    }
  }
  return [...byIp.values()];
}

function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

function serviceRecords(svc: Service, fqdn: string, type: string, dir: ServiceDirectory, ns: string): ClusterAnswer {
  if (svc.spec?.type === 'ExternalName') {
    const target = svc.spec.externalName;
    return {
      rcode: 'NOERROR',
      answers: target ? [{ type: 'CNAME', name: fqdn, ttl: CLUSTER_DNS_TTL, data: target }] : [],
      additionals: [],
    };
  }
  if (type !== 'A' && type !== 'ANY') return { rcode: 'NOERROR', answers: [], additionals: [] };
  const ips = isHeadless(svc)
    ? readyEndpoints(dir.slices(ns, svc.metadata.name ?? '')).map((e) => e.ip)
    : svc.spec?.clusterIP
      ? [svc.spec.clusterIP]
      : [];
  return { rcode: 'NOERROR', answers: ips.map((ip) => ({ type: 'A', name: fqdn, ttl: CLUSTER_DNS_TTL, data: ip })), additionals: [] };
}

function srvRecords(
  svc: Service,
  fqdn: string,
  port: string,
  proto: string,
  dir: ServiceDirectory,
  ns: string,
  base: string,
): ClusterAnswer {
  const sp = (svc.spec?.ports ?? []).find((p) => p.name === port && (p.protocol ?? 'TCP').toLowerCase() === proto);
  if (!sp) return NX;
  if (!isHeadless(svc)) {
    const data = { priority: 0, weight: 100, port: sp.port, target: base };
    return { rcode: 'NOERROR', answers: [{ type: 'SRV', name: fqdn, ttl: CLUSTER_DNS_TTL, data }], additionals: [] };
  }
  const answers: DnsRecord[] = [];
  const additionals: DnsRecord[] = [];
  const eps = readyEndpoints(dir.slices(ns, svc.metadata.name ?? ''));
  for (const e of eps) {
    const p = e.ports.find((x) => x.name === port && x.protocol === proto);
    if (!p) continue;
    const target = `${e.host}.${base}`;
    const data = { priority: 0, weight: Math.floor(100 / eps.length), port: p.port, target };
    answers.push({ type: 'SRV', name: fqdn, ttl: CLUSTER_DNS_TTL, data });
    additionals.push({ type: 'A', name: target, ttl: CLUSTER_DNS_TTL, data: e.ip });
  }
  return { rcode: 'NOERROR', answers, additionals };
}

function endpointRecords(svc: Service, fqdn: string, host: string, type: string, dir: ServiceDirectory, ns: string): ClusterAnswer {
  if (!isHeadless(svc)) return NX;
  const found = readyEndpoints(dir.slices(ns, svc.metadata.name ?? '')).filter((e) => e.host === host);
  if (found.length === 0) return NX;
  if (type !== 'A' && type !== 'ANY') return { rcode: 'NOERROR', answers: [], additionals: [] };
  return { rcode: 'NOERROR', answers: found.map((e) => ({ type: 'A', name: fqdn, ttl: CLUSTER_DNS_TTL, data: e.ip })), additionals: [] };
}

function podRecords(fqdn: string, dashed: string, type: string): ClusterAnswer {
  const parts = dashed.split('-');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return NX;
  if (type !== 'A' && type !== 'ANY') return { rcode: 'NOERROR', answers: [], additionals: [] };
  return { rcode: 'NOERROR', answers: [{ type: 'A', name: fqdn, ttl: CLUSTER_DNS_TTL, data: parts.join('.') }], additionals: [] };
}

/** Whether `name` lies under the cluster domain (its names are answered here, never forwarded). */
export function inClusterDomain(name: string, domain: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return n === domain || n.endsWith(`.${domain}`);
}

/**
 * Answers the question (`name`, `type`: A, SRV, ANY, AAAA...) about a name under `domain`
 * (see the file comment). Names are case-insensitive; a trailing dot is ignored.
 */
export function resolveClusterName(dir: ServiceDirectory, name: string, type: string, domain = 'cluster.local'): ClusterAnswer {
  const fqdn = name.replace(/\.$/, '');
  const lower = fqdn.toLowerCase();
  if (!inClusterDomain(lower, domain)) return NX;
  const labels = lower === domain ? [] : lower.slice(0, -(domain.length + 1)).split('.');
  const zone = labels.at(-1);
  const rest = labels.slice(0, -1);
  if (zone === 'pod') {
    return rest.length === 2 && dir.hasNamespace(rest[1] as string) ? podRecords(fqdn, rest[0] as string, type) : NX;
  }
  if (zone !== 'svc' && labels.length > 0) return NX;
  const ns = rest.at(-1);
  if (!ns) return { rcode: 'NOERROR', answers: [], additionals: [] };
  if (rest.length === 1) return dir.hasNamespace(ns) ? { rcode: 'NOERROR', answers: [], additionals: [] } : NX;
  const svcName = rest.at(-2) as string;
  const svc = dir.service(ns, svcName);
  if (!svc) return NX;
  const base = `${svcName}.${ns}.svc.${domain}`;
  if (rest.length === 2) return serviceRecords(svc, fqdn, type, dir, ns);
  if (rest.length === 3) return endpointRecords(svc, fqdn, rest[0] as string, type, dir, ns);
  if (rest.length === 4) {
    const [port, proto] = rest as [string, string];
    if (!port.startsWith('_') || !proto.startsWith('_')) return NX;
    if (type !== 'SRV' && type !== 'ANY') return { rcode: 'NOERROR', answers: [], additionals: [] };
    return srvRecords(svc, fqdn, port.slice(1), proto.slice(1), dir, ns, base);
  }
  return NX;
}
