/**
 * LocalCloudProvider: a cloud on this machine, for tests and embedding. Load balancers are TCP
 * listeners on a loopback address ({@link LocalLoadBalancers}); node groups add and remove
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
    this.loadBalancers = options.loadBalancers === false ? undefined : new LocalLoadBalancers(options.loadBalancers ?? {});
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
