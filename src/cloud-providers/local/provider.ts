/**
 * LocalCloudProvider: a cloud on this machine, for tests and embedding. Load balancers are TCP
 * listeners on a loopback address ({@link LocalLoadBalancers}).
 */
import type { CloudProvider } from '../types.js';
import { LocalLoadBalancers, type LocalLoadBalancersOptions } from './load-balancers.js';

/** Options of {@link LocalCloudProvider}. */
export interface LocalCloudProviderOptions {
  /** The load balancers' options, or `false` for a provider without load balancers. */
  loadBalancers?: LocalLoadBalancersOptions | false;
}

/** A cloud provider whose parts are real on this machine. */
export class LocalCloudProvider implements CloudProvider {
  readonly name = 'local';
  readonly loadBalancers: LocalLoadBalancers | undefined;

  constructor(options: LocalCloudProviderOptions = {}) {
    this.loadBalancers = options.loadBalancers === false ? undefined : new LocalLoadBalancers(options.loadBalancers ?? {});
  }

  /** Releases every balancer (the cluster calls it when it stops). */
  async detach(): Promise<void> {
    await this.loadBalancers?.close();
  }
}
