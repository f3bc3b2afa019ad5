/**
 * The Service allocators in the API's write path, as kube-apiserver's Service REST storage
 * (pkg/registry/core/service/storage/alloc.go): on create and update, `spec.clusterIP` comes from
 * the service CIDR (a requested one is honoured, or rejected when taken or out of range; `None`
 * is headless) and every `nodePort` of a NodePort or LoadBalancer Service from the node port
 * range. What is allocated is derived from the stored Services on every write (a restarted or
 * second API process sees the same), so a deleted Service's IP and ports are free again.
 */
import type { Service, StatusCause } from '../../model/types.js';
import type { Clock } from '../../clock/types.js';
import type { ResourceClient } from '../../client/types.js';
import { TugboatError } from '../../model/errors.js';
import { forbidden, invalid } from '../../model/validation/field-errors.js';
import { parseIpv4 } from '../../model/ipv4-cidr.js';
import { IpRange } from './ip-allocator.js';
import { PortRange } from './port-allocator.js';
import type { AdmissionPlugin, AdmissionRequest } from '../admission.js';

/** The default service CIDR, as kubeadm's. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
/** The default node port range, as kube-apiserver's `--service-node-port-range`. */
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

/** How long a write's allocation is held for it before the store shows it (ms of the clock). */
const RESERVATION_MS = 30_000;

/** Options of {@link serviceAllocation}. */
export interface ServiceAllocationOptions {
  /** A client of Services across all namespaces (the stored Services are the allocation state). */
  services: () => ResourceClient<Service>;
  clock: Clock;
  /** @default '10.96.0.0/12' */
  serviceCIDR?: string;
  /** @default '30000-32767' */
  nodePortRange?: string;
  /** Where automatic allocation starts in each band. @default Math.random */
  random?: () => number;
}

type Spec = NonNullable<Service['spec']>;

interface Reservation {
  ip?: string;
  ports: number[];
  until: number;
}

/** True for the Service types that get node ports. */
function needsNodePorts(spec: Spec | undefined): boolean {
  if (!spec) return false;
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

/** True for the Service types that get a cluster IP. */
function needsClusterIP(spec: Spec | undefined): boolean {
  return !!spec && spec.type !== 'ExternalName';
}

function isServiceWrite(request: AdmissionRequest): boolean {
  return request.type.group === '' && request.type.kind === 'Service' && request.subresource !== 'status';
}

function keyOf(svc: Service): string {
  return `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
}

/** The node ports a Service holds (ports and the health check port). */
function nodePortsOf(spec: Spec | undefined): number[] {
  const out = (spec?.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0);
  if (spec?.healthCheckNodePort) out.push(spec.healthCheckNodePort);
  return out;
}

/**
 * Kubernetes' patchAllocatedValues and dropTypeDependentFields on update: a cluster IP or node
 * port the new spec leaves out is kept from the stored Service; one the new type has no use for
 * (and the user did not change) is dropped.
 */
function carryOver(spec: Spec, old: Spec | undefined): void {
  if (!old) return;
  if (needsClusterIP(spec) && needsClusterIP(old) && !spec.clusterIP && !spec.clusterIPs?.length && old.clusterIP) {
    spec.clusterIP = old.clusterIP;
    if (old.clusterIPs) spec.clusterIPs = [...old.clusterIPs];
  }
  if (!needsClusterIP(spec) && spec.clusterIP === old.clusterIP) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    delete spec.ipFamilies;
    delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(spec) && needsNodePorts(old)) {
    const used = new Set(nodePortsOf(spec));
    const byName = new Map((old.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of spec.ports ?? []) {
      const was = byName.get(p.name ?? '') ?? 0;
      if (!p.nodePort && was && !used.has(was)) p.nodePort = was;
    }
  }
  if (!needsNodePorts(spec) && needsNodePorts(old)) {
    const byName = new Map((old.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of spec.ports ?? []) if (p.nodePort && p.nodePort === byName.get(p.name ?? '')) delete p.nodePort;
  }
  if (spec.healthCheckNodePort === undefined && old.healthCheckNodePort && spec.externalTrafficPolicy === 'Local') {
    spec.healthCheckNodePort = old.healthCheckNodePort;
  }
}

/**
 * The admission plugin that allocates Service cluster IPs and node ports (see the file comment).
 * Rejections are Invalid, naming `spec.clusterIP` or `spec.ports[i].nodePort`.
 */
export function serviceAllocation(options: ServiceAllocationOptions): AdmissionPlugin {
  const ips = new IpRange(options.serviceCIDR ?? DEFAULT_SERVICE_CIDR);
  const ports = new PortRange(options.nodePortRange ?? DEFAULT_NODE_PORT_RANGE);
  const random = options.random ?? Math.random;
  const reservations = new Map<string, Reservation>();
  let lock: Promise<unknown> = Promise.resolve();

  /** The IPs and node ports every other Service holds: stored, or reserved by a write in flight. */
  async function taken(self: string): Promise<{ ips: Set<string>; ports: Set<number> }> {
    const now = options.clock.now().getTime();
    const out = { ips: new Set<string>(), ports: new Set<number>() };
    for (const svc of (await options.services().list()).items) {
      const key = keyOf(svc);
      if (key === self) continue;
      const r = reservations.get(key);
      if (r && (r.ip === undefined || r.ip === svc.spec?.clusterIP)) reservations.delete(key);
      for (const ip of svc.spec?.clusterIPs ?? [svc.spec?.clusterIP ?? '']) if (ip && ip !== 'None') out.ips.add(ip);
      for (const p of nodePortsOf(svc.spec)) out.ports.add(p);
    }
    for (const [key, r] of reservations) {
      if (r.until <= now) reservations.delete(key);
      else if (key !== self) {
        if (r.ip) out.ips.add(r.ip);
        for (const p of r.ports) out.ports.add(p);
      }
    }
    return out;
  }

  async function allocate(request: AdmissionRequest): Promise<void> {
    const svc = request.object as Service;
    const spec = svc.spec;
    if (!spec || typeof spec !== 'object') return;
    const old = (request.oldObject as Service | undefined)?.spec;
    if (request.operation === 'UPDATE') carryOver(spec, old);
    const name = svc.metadata.name ?? '';
    const reject = (causes: StatusCause[]): never => {
      throw TugboatError.invalid({ kind: 'Service' }, name, causes);
    };
    const self = keyOf(svc);
    const held = await taken(self);
    const reservation: Reservation = { ports: [], until: options.clock.now().getTime() + RESERVATION_MS };

    if (!needsClusterIP(spec)) {
      if (spec.clusterIP && spec.clusterIP !== old?.clusterIP)
        reject([forbidden('spec.clusterIP', 'may not be set for ExternalName services')]);
    } else if (spec.clusterIP === 'None' || spec.clusterIPs?.[0] === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
    } else {
      const requested = spec.clusterIP || spec.clusterIPs?.[0] || '';
      if (requested && parseIpv4(requested) === undefined) return; // validation names the malformed value
      let ip = requested;
      if (!ip) {
        ip = ips.next(held.ips, random) ?? '';
        if (!ip) reject([invalid('spec.clusterIP', '', `failed to allocate a serviceIP: range is full (${ips})`)]);
      } else if (!(request.operation === 'UPDATE' && ip === old?.clusterIP)) {
        const why = ips.check(ip, held.ips);
        if (why === 'allocated') reject([invalid('spec.clusterIP', ip, `failed to allocate IP ${ip}: provided IP is already allocated`)]);
        if (why === 'not-in-range') {
          reject([
            invalid(
              'spec.clusterIP',
              ip,
              `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${ips}`,
            ),
          ]);
        }
      }
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      reservation.ip = ip;
    }

    if (needsNodePorts(spec)) {
      const mine = new Set(nodePortsOf(old));
      const byPort = new Map<number, number>();
      const causes: StatusCause[] = [];
      const claim = (value: number, field: string): void => {
        if (Number.isInteger(value) && !mine.has(value)) {
          const why = ports.check(value, held.ports);
          if (why === 'allocated') causes.push(invalid(field, value, 'provided port is already allocated'));
          if (why === 'not-in-range') {
            causes.push(invalid(field, value, `provided port is not in the valid range. The range of valid ports is ${ports}`));
          }
        }
        held.ports.add(value);
        reservation.ports.push(value);
      };
      (spec.ports ?? []).forEach((p, i) => {
        if (p.nodePort) {
          if (byPort.get(p.port) === p.nodePort) return; // the same port number over another protocol shares it
          claim(p.nodePort, `spec.ports[${i}].nodePort`);
          byPort.set(p.port, p.nodePort);
        }
      });
      (spec.ports ?? []).forEach((p, i) => {
        if (p.nodePort) return;
        const next = byPort.get(p.port) ?? ports.next(held.ports, random);
        if (next === undefined) return void causes.push(invalid(`spec.ports[${i}].nodePort`, 0, `range is full (${ports})`));
        p.nodePort = next;
        byPort.set(p.port, next);
        held.ports.add(next);
        reservation.ports.push(next);
      });
      if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
        if (spec.healthCheckNodePort) {
          if (spec.healthCheckNodePort !== old?.healthCheckNodePort) claim(spec.healthCheckNodePort, 'spec.healthCheckNodePort');
        } else {
          const next = ports.next(held.ports, random);
          if (next !== undefined) {
            spec.healthCheckNodePort = next;
            reservation.ports.push(next);
          }
        }
      }
      if (causes.length > 0) reject(causes);
    }
    if (!request.dryRun) reservations.set(self, reservation);
  }

  return {
    name: 'ServiceAllocation',
    mutate(request) {
      if (!isServiceWrite(request) || request.operation === 'DELETE') return;
      // One write at a time picks values, so two concurrent creates never take the same one.
      const run = lock.then(() => allocate(request));
      lock = run.catch(() => undefined);
      return run;
    },
    validate(request) {
      if (request.operation === 'DELETE' && isServiceWrite(request)) reservations.delete(keyOf(request.object as Service));
    },
  };
}
