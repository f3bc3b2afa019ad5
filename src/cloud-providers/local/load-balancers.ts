/**
 * The local provider's load balancers, as kind's cloud-provider-kind gives each Service a real
 * balancer: every TCP port of a LoadBalancer Service gets a listener on a loopback address (the
 * Service's port when free, else any free port), forwarding to the Service's Ready endpoints, or
 * to its node ports on the nodes when it has none.
 */
import type { core, Service } from '../../model/types.js';
import type { LoadBalancerPort, LoadBalancerProvider, LoadBalancerRequest } from '../types.js';
import { TcpBalancer, type Backend } from './tcp-balancer.js';

/** Options of {@link LocalLoadBalancers}. */
export interface LocalLoadBalancersOptions {
  /** The address balancers listen on (and report as their ingress IP). @default '127.0.0.1' */
  address?: string;
  /** Listen on the Service's own port when it is free. @default true */
  preferServicePort?: boolean;
  /** The loadBalancerClass values served besides Services without one. @default [] */
  classes?: readonly string[];
}

interface Balancer {
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
  private readonly address: string;
  private readonly preferServicePort: boolean;
  private readonly balancers = new Map<string, Balancer>();

  constructor(options: LocalLoadBalancersOptions = {}) {
    this.address = options.address ?? '127.0.0.1';
    this.preferServicePort = options.preferServicePort ?? true;
    this.classes = options.classes ?? [];
  }

  async get(clusterName: string, service: Service): Promise<core.LoadBalancerStatus | undefined> {
    return this.balancers.get(keyOf(clusterName, service))?.status;
  }

  async ensure(request: LoadBalancerRequest): Promise<core.LoadBalancerStatus> {
    const key = keyOf(request.clusterName, request.service);
    let balancer = this.balancers.get(key);
    if (!balancer) this.balancers.set(key, (balancer = { listeners: new Map(), status: {} }));
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
        listener = await TcpBalancer.listen(this.address, this.preferServicePort ? port.port : 0);
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
    balancer.status = { ingress: [{ ip: this.address, ipMode: 'VIP', ports }] };
    return balancer.status;
  }

  async delete(clusterName: string, service: Service): Promise<void> {
    const key = keyOf(clusterName, service);
    const balancer = this.balancers.get(key);
    if (!balancer) return;
    this.balancers.delete(key);
    await Promise.all([...balancer.listeners.values()].map((l) => l.close()));
  }

  /** The number of balancers held (for tests and leak checks). */
  get size(): number {
    return this.balancers.size;
  }

  /** Closes every balancer. */
  async close(): Promise<void> {
    const all = [...this.balancers.values()];
    this.balancers.clear();
    await Promise.all(all.flatMap((b) => [...b.listeners.values()].map((l) => l.close())));
  }
}
