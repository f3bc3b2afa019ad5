/**
 * What serves a cluster's pods on each pod network of its runtimes (Docker: the cluster's
 * bridge), as CoreDNS and kube-proxy do on a node: the cluster DNS server on the network's
 * gateway, port 53 (the nameserver of ClusterFirst pods), and the Service virtual IPs. Both need
 * root (port 53, iptables), as CoreDNS and kube-proxy do; without it the failure is logged and the
 * cluster runs on without them.
 */
import type { ApiContext } from '../client/types.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { Logger } from '../client/logger.js';
import type { ContainerRuntime, PodNetwork } from '../runtime-adapters/types.js';
import { ClusterDnsServer } from './dns/dns-server.js';
import { informerDirectory } from './dns/informer-directory.js';
import { VipChain, vipChainName } from './vips/iptables.js';
import { ServiceVips } from './vips/service-vips.js';

interface NetworkServices {
  dns: ClusterDnsServer;
  vips: ServiceVips;
}

/** The DNS servers and Service proxies of a cluster's pod networks. @internal */
export class PodNetworkServices {
  private readonly byNetwork = new Map<string, Promise<NetworkServices | undefined>>();
  private readonly seen = new Set<ContainerRuntime>();
  private readonly networks = new Map<string, PodNetwork>();
  private stopped = false;

  constructor(
    private readonly context: ApiContext,
    private readonly informers: InformerFactory,
    private readonly domain: string,
    private readonly log?: Logger,
  ) {}

  /** Serves the pod network of `runtime`, if it has one (once per network); a failure is logged. */
  async attach(runtime: ContainerRuntime): Promise<void> {
    if (this.stopped || !runtime.podNetwork || this.seen.has(runtime)) return;
    this.seen.add(runtime);
    let net: PodNetwork;
    try {
      net = await runtime.podNetwork();
    } catch (err) {
      this.seen.delete(runtime);
      this.log?.warn?.({ err }, `runtime ${runtime.name}: pod network not found, no cluster DNS or Service IPs on it`);
      return;
    }
    if (this.byNetwork.has(net.id)) return;
    this.networks.set(net.id, net);
    const started = (async (): Promise<NetworkServices | undefined> => {
      const dns = new ClusterDnsServer(await informerDirectory(this.informers), { address: net.gateway, domain: this.domain });
      const vips = new ServiceVips(this.context, this.informers, net.gateway, new VipChain(vipChainName(net.id), net.interface), this.log);
      try {
        await dns.start();
        await vips.start();
        return { dns, vips };
      } catch (err) {
        this.log?.warn?.({ err }, `cluster DNS and Service IPs on ${net.interface} (${net.gateway}) not served`);
        await dns.stop();
        await vips.stop();
        return undefined;
      }
    })();
    this.byNetwork.set(net.id, started);
    await started;
  }

  /** The gateways of the pod networks found so far (where pods reach this process). */
  gateways(): string[] {
    return [...this.networks.values()].map((n) => n.gateway);
  }

  /** The iptables chains in use (one per pod network served). */
  async chains(): Promise<string[]> {
    const all = await Promise.all(this.byNetwork.values());
    return all.flatMap((s) => (s ? [s.vips.chain.chain] : []));
  }

  /** Waits for the Service rules being written. */
  async settled(): Promise<void> {
    for (const s of await Promise.all(this.byNetwork.values())) await s?.vips.settled();
  }

  /** Stops the DNS servers and removes the rules. */
  async stop(): Promise<void> {
    this.stopped = true;
    const all = await Promise.all(this.byNetwork.values());
    this.byNetwork.clear();
    for (const s of all) {
      if (!s) continue;
      await s.vips.stop();
      await s.dns.stop();
    }
  }
}
