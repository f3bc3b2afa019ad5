/**
 * The local provider's load balancers, as kind's cloud-provider-kind gives each Service a real
 * balancer: each LoadBalancer Service gets its own address from a loopback range (see
 * {@link AddressPool}; a spec.loadBalancerIP inside the range is honoured), and every TCP port of
 * the Service a listener there (on the Service's port, or any free port when that one cannot be
 * bound), forwarding to the Service's Ready endpoints, or to its node ports on the nodes when it
 * has none.
 */
import type { core, Service } from '../../model/types.js';
import type { LoadBalancerPort, LoadBalancerProvider, LoadBalancerRequest } from '../types.js';
import { AddressPool, type AddressLease } from './address-pool.js';
import { TcpBalancer, type Backend } from './tcp-balancer.js';

/** Options of {@link LocalLoadBalancers}. */
export interface LocalLoadBalancersOptions {
  /**
   * The IPv4 range each balancer gets its own address from (reported as its ingress IP). Any part
   * of 127.0.0.0/8 works on Linux without setup. @default '127.0.100.0/24'
   */
  range?: string;
  /** The UDP port that holds a balancer's address against other clusters on this machine. @default 65535 */
  reservationPort?: number;
  /** Listen on the Service's own port when it is free. @default true */
  preferServicePort?: boolean;
  /** The loadBalancerClass values served besides Services without one. @default [] */
  classes?: readonly string[];
}

interface Balancer {
  address: AddressLease;
  /** Listeners by `${protocol}/${service port}`. */
  listeners: Map<string, TcpBalancer>;
  status: core.LoadBalancerStatus;
}

const keyOf = (clusterName: string, s: Service): string => `${clusterName}/${s.metadata.namespace}/${s.metadata.name}`;

/** The backends of one port: its endpoints, else the nodes at its node port. */
function backendsOf(port: LoadBalancerPort, request: LoadBalancerRequest): Backend[] {
  if (port.endpoints.length > 0) return port.endpoints.map((e) => ({ host: e.ip, port: e.port }));
  if (port.nodePort === undefined) return [];
  return request.nodes.filter((n) => n.address).map((n) => ({ host: n.address!, port: port.nodePort! }));
}

/** Load balancers as TCP listeners in this process: the load-balancer part of the local provider. */
export class LocalLoadBalancers implements LoadBalancerProvider {
  readonly classes: readonly string[];
  /** The addresses balancers get. */
  readonly addresses: AddressPool;
  private readonly preferServicePort: boolean;
  private readonly balancers = new Map<string, Balancer>();

  constructor(options: LocalLoadBalancersOptions = {}) {
    this.addresses = new AddressPool(options.range, options.reservationPort);
    this.preferServicePort = options.preferServicePort ?? true;
    this.classes = options.classes ?? [];
  }

  async get(clusterName: string, service: Service): Promise<core.LoadBalancerStatus | undefined> {
    return this.balancers.get(keyOf(clusterName, service))?.status;
  }

  async ensure(request: LoadBalancerRequest): Promise<core.LoadBalancerStatus> {
    const key = keyOf(request.clusterName, request.service);
    const requested = request.service.spec?.loadBalancerIP || undefined;
    let balancer = this.balancers.get(key);
    if (balancer && requested && balancer.address.ip !== requested) {
      // A new requested address: the balancer moves there (the old one is released once the new one is held).
      const lease = await this.addresses.acquire(requested);
      await this.release(key);
      balancer = undefined;
      this.balancers.set(key, (balancer = { address: lease, listeners: new Map(), status: {} }));
    }
    if (!balancer) {
      const lease = await this.addresses.acquire(requested);
      this.balancers.set(key, (balancer = { address: lease, listeners: new Map(), status: {} }));
    }
    const ip = balancer.address.ip;
    const wanted = new Set<string>();
    const ports: core.PortStatus[] = [];
    for (const port of request.ports) {
      const id = `${port.protocol}/${port.port}`;
      wanted.add(id);
      if (port.protocol !== 'TCP') {
        ports.push({ port: port.port, protocol: port.protocol, error: 'UnsupportedProtocol' });
        continue;
      }
      let listener = balancer.listeners.get(id);
      if (!listener) {
        listener = await TcpBalancer.listen(ip, this.preferServicePort ? port.port : 0);
        balancer.listeners.set(id, listener);
      }
      listener.setBackends(backendsOf(port, request));
      ports.push({ port: listener.port, protocol: 'TCP' });
    }
    for (const [id, listener] of balancer.listeners) {
      if (wanted.has(id)) continue;
      balancer.listeners.delete(id);
      await listener.close();
    }
    balancer.status = { ingress: [{ ip, ipMode: 'VIP', ports }] };
    return balancer.status;
  }

  async delete(clusterName: string, service: Service): Promise<void> {
    await this.release(keyOf(clusterName, service));
  }

  /** Closes a balancer's listeners, then gives its address back. */
  private async release(key: string): Promise<void> {
    const balancer = this.balancers.get(key);
    if (!balancer) return;
    this.balancers.delete(key);
    await Promise.all([...balancer.listeners.values()].map((l) => l.close()));
    await balancer.address.release();
  }

  /** The number of balancers held (for tests and leak checks). */
  get size(): number {
    return this.balancers.size;
  }

  /** Closes every balancer and gives back every address. */
  async close(): Promise<void> {
    await Promise.all([...this.balancers.keys()].map((k) => this.release(k)));
    await this.addresses.close();
  }
}
