/**
 * LocalCloudProvider: a cloud on this machine, for tests and embedding. Load balancers are TCP
 * listeners, each on its own loopback address from a range ({@link LocalLoadBalancers}); node groups add and remove
 * tugboat nodes on local runtimes ({@link LocalNodeGroups}); volumes are directories on this
 * machine ({@link LocalVolumes}).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudHost, CloudProvider } from '../types.js';
import { LocalVolumes, type LocalVolumesOptions } from './local-volumes.js';
import { LocalNodeGroups, type LocalNodeGroupSpec } from './node-groups.js';
import { LocalLoadBalancers, type LocalLoadBalancersOptions } from './load-balancers.js';

/** Options of {@link LocalCloudProvider}. */
export interface LocalCloudProviderOptions {
  /**
   * The range each load balancer gets its own address from (short for `loadBalancers.range`).
   * @default '127.0.100.0/24'
   */
  loadBalancerRange?: string;
  /** The load balancers' options, or `false` for a provider without load balancers. */
  loadBalancers?: LocalLoadBalancersOptions | false;
  /** Node groups the cluster autoscaler grows and shrinks. @default none */
  nodeGroups?: readonly LocalNodeGroupSpec[];
  /** The volumes' options, or `false` for a provider without volumes. @default directories under the system temp folder */
  volumes?: LocalVolumesOptions | false;
}

/** A cloud provider whose parts are real on this machine. */
export class LocalCloudProvider implements CloudProvider {
  readonly name = 'local';
  readonly loadBalancers: LocalLoadBalancers | undefined;
  readonly nodeGroups: LocalNodeGroups | undefined;
  readonly volumes: LocalVolumes | undefined;

  constructor(options: LocalCloudProviderOptions = {}) {
    const range = options.loadBalancerRange;
    this.loadBalancers =
      options.loadBalancers === false
        ? undefined
        : new LocalLoadBalancers({ ...(range !== undefined ? { range } : {}), ...(options.loadBalancers ?? {}) });
    this.nodeGroups = options.nodeGroups?.length ? new LocalNodeGroups(options.nodeGroups) : undefined;
    this.volumes =
      options.volumes === false ? undefined : new LocalVolumes(options.volumes ?? { root: join(tmpdir(), 'tugboat-volumes', 'local') });
  }

  /** Receives the cluster: node groups are brought to their minSize. */
  async attach(host: CloudHost): Promise<void> {
    await this.nodeGroups?.attach(host);
  }

  /** Releases every balancer and forgets the nodes (the cluster calls it when it stops). */
  async detach(): Promise<void> {
    this.nodeGroups?.detach();
    await this.loadBalancers?.close();
  }
}
