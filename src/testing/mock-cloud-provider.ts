/**
 * MockCloudProvider: a cloud provider for users' tests. Its load balancers exist only in memory
 * (each gets an address from 192.0.2.0/24, TEST-NET-1); failures and latencies are settable, so a
 * test can check what a controller does when the cloud fails or is slow.
 */
import type { Clock } from '../clock/types.js';
import type { core, Service } from '../model/types.js';
import { MockVolumes, type MockVolumesOptions } from './mock-volumes.js';
import type { CloudHost, CloudProvider, LoadBalancerProvider, LoadBalancerRequest, NodeGroupProvider } from '../cloud-providers/types.js';

/** A part of a provider whose calls can be made to fail. */
export type CloudPart = 'loadBalancers' | 'volumes' | 'nodeGroups';

/** A node-group part that is handed the cluster when it starts (as {@link CloudProvider.attach}). */
export interface AttachableNodeGroups extends NodeGroupProvider {
  /** Receives the cluster (to add and remove nodes). */
  attach?(host: CloudHost): void | Promise<void>;
  /** Forgets the cluster. */
  detach?(): void | Promise<void>;
}

/** Options of {@link MockCloudProvider}. */
export interface MockCloudProviderOptions {
  /** Delay of every call, on `clock`. @default 0 */
  latencyMs?: number;
  /** The clock latencies are waited on (the cluster's FakeClock in tests). Required with latencyMs. */
  clock?: Clock;
  /** The loadBalancerClass values served besides Services without one. @default [] */
  loadBalancerClasses?: readonly string[];
  /** Options of the in-memory volumes part ({@link MockVolumes}). */
  volumes?: MockVolumesOptions;
  /** A node-group part to wrap (a LocalNodeGroups over a MockRuntime, say); its calls get the mock's failures and latency. */
  nodeGroups?: AttachableNodeGroups;
}

/** One call the mock answered (or failed). */
export interface MockCloudCall {
  part: CloudPart;
  method: string;
  /** The Service's namespace/name for load-balancer calls; the volume (and `@node`) for volume calls. */
  target?: string;
  failed?: string;
}

/** A cloud provider for tests: in-memory balancers, settable failures (`failNext`) and latency. */
export class MockCloudProvider implements CloudProvider {
  readonly name = 'mock';
  readonly loadBalancers: LoadBalancerProvider;
  readonly nodeGroups: NodeGroupProvider | undefined;
  /** In-memory disks (provisioner {@link MOCK_PROVISIONER}): provision, attach, detach, expand, delete. */
  readonly volumes: MockVolumes;
  /** Every call, in order. */
  readonly calls: MockCloudCall[] = [];
  /** The last request each balancer was ensured with, by namespace/name. */
  readonly balancers = new Map<string, LoadBalancerRequest>();
  private readonly failures = new Map<CloudPart, { count: number; message: string; method?: string }>();
  private readonly addresses = new Map<string, string>();
  private nextAddress = 1;

  constructor(private readonly options: MockCloudProviderOptions = {}) {
    if (options.latencyMs && !options.clock) throw new TypeError('MockCloudProvider: latencyMs needs a clock');
    const self = this;
    this.loadBalancers = {
      classes: options.loadBalancerClasses ?? [],
      async get(_cluster: string, service: Service) {
        await self.call('loadBalancers', 'get', key(service));
        const request = self.balancers.get(key(service));
        return request ? self.statusOf(service) : undefined;
      },
      async ensure(request: LoadBalancerRequest) {
        await self.call('loadBalancers', 'ensure', key(request.service));
        self.balancers.set(key(request.service), request);
        return self.statusOf(request.service);
      },
      async delete(_cluster: string, service: Service) {
        await self.call('loadBalancers', 'delete', key(service));
        self.balancers.delete(key(service));
      },
    };
    this.volumes = new MockVolumes((method, target) => this.call('volumes', method, target), options.volumes);
    const groups = options.nodeGroups;
    const call = async <T>(method: string, target: string | undefined, run: () => Promise<T>): Promise<T> => {
      await this.call('nodeGroups', method, target);
      return run();
    };
    this.nodeGroups = groups && {
      groups: () => call('groups', undefined, () => groups.groups()),
      targetSize: (id) => call('targetSize', id, () => groups.targetSize(id)),
      nodes: (id) => call('nodes', id, () => groups.nodes(id)),
      increaseSize: (id, delta) => call('increaseSize', id, () => groups.increaseSize(id, delta)),
      deleteNodes: (id, names) => call('deleteNodes', id, () => groups.deleteNodes(id, names)),
    };
  }

  /**
   * Makes the next `count` calls of `part` fail with `message`; with `method`, only calls of that
   * method (`'ensure'`, `'increaseSize'`, `'provision'`, ...) count and fail.
   */
  failNext(part: CloudPart, count = 1, message = `mock ${part} failure`, method?: string): void {
    this.failures.set(part, { count, message, ...(method ? { method } : {}) });
  }

  /** Passes the cluster to the wrapped node groups. */
  async attach(host: CloudHost): Promise<void> {
    await this.options.nodeGroups?.attach?.(host);
  }

  /** Detaches the wrapped node groups. */
  async detach(): Promise<void> {
    await this.options.nodeGroups?.detach?.();
  }

  private statusOf(service: Service): core.LoadBalancerStatus {
    let ip = this.addresses.get(key(service));
    if (!ip) this.addresses.set(key(service), (ip = `192.0.2.${this.nextAddress++ % 255}`));
    return { ingress: [{ ip, ipMode: 'VIP' }] };
  }

  private async call(part: CloudPart, method: string, target?: string): Promise<void> {
    if (this.options.latencyMs) await this.options.clock!.sleep(this.options.latencyMs);
    const failure = this.failures.get(part);
    if (failure && failure.count > 0 && (failure.method === undefined || failure.method === method)) {
      failure.count--;
      this.calls.push({ part, method, ...(target ? { target } : {}), failed: failure.message });
      throw new Error(failure.message);
    }
    this.calls.push({ part, method, ...(target ? { target } : {}) });
  }
}

function key(service: Service): string {
  return `${service.metadata.namespace}/${service.metadata.name}`;
}
