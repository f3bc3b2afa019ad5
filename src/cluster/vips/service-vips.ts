/**
 * kube-proxy's userspace mode for one cluster's pod network: for each TCP port of each Service
 * with a clusterIP, a listener of this process on the network's gateway that forwards every
 * connection to one of the Service port's Ready endpoints (round-robin, read again per
 * connection, so it follows the EndpointSlices), and a REDIRECT of `clusterIP:port` to it in the
 * cluster's own nat chain (iptables.ts). NodePorts are another listener (node-ports.ts).
 */
import type { Service } from '../../model/types.js';
import type { ApiContext } from '../../client/types.js';
import type { InformerFactory } from '../../client/informer-factory.js';
import type { Logger } from '../../client/logger.js';
import { kinds } from '../../client/kinds.js';
import { listenForwarding, servicePortBackend, type PortForward } from '../port-forward.js';
import { VipChain, type VipRule } from './iptables.js';

interface Listener {
  clusterIP: string;
  port: number;
  forward: Promise<PortForward | undefined>;
}

/** The virtual IPs of a cluster's Services on one pod network (see the file comment). @internal */
export class ServiceVips {
  private readonly listeners = new Map<string, Listener>();
  private removeHandler?: () => void;
  private stopped = false;
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: ApiContext,
    private readonly informers: InformerFactory,
    private readonly gateway: string,
    readonly chain: VipChain,
    private readonly log?: Logger,
  ) {}

  /** Starts following Services; resolves once the first rules are in place. */
  async start(): Promise<void> {
    const informer = await this.informers.start(kinds.Service);
    const sync = (): void => {
      this.syncing = this.syncing
        .then(() => this.sync(informer.list()))
        .catch((err: unknown) => this.log?.warn?.({ err }, 'Service virtual IPs: rules not updated'));
    };
    this.removeHandler = informer.addHandler({ onAdd: sync, onUpdate: sync, onDelete: sync });
    sync();
    await this.syncing;
  }

  /** Waits for the updates under way. */
  settled(): Promise<void> {
    return this.syncing;
  }

  private async sync(services: readonly Service[]): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map<string, { svc: Service; clusterIP: string; port: number }>();
    for (const svc of services) {
      const ip = svc.spec?.clusterIP;
      if (!ip || ip === 'None' || svc.spec?.type === 'ExternalName' || svc.metadata.deletionTimestamp) continue;
      for (const p of svc.spec?.ports ?? []) {
        if ((p.protocol ?? 'TCP') !== 'TCP') continue;
        wanted.set(`${svc.metadata.uid}/${ip}/${p.port}`, { svc, clusterIP: ip, port: p.port });
      }
    }
    for (const [key, l] of this.listeners) {
      if (wanted.has(key)) continue;
      this.listeners.delete(key);
      void l.forward.then((f) => f?.close());
    }
    for (const [key, w] of wanted) {
      if (this.listeners.has(key)) continue;
      const ns = w.svc.metadata.namespace ?? 'default';
      const backend = servicePortBackend(this.context, w.svc, w.port);
      const forward = listenForwarding(backend, 0, this.gateway).catch((err: unknown) => {
        this.log?.warn?.({ err }, `Service ${ns}/${w.svc.metadata.name}: no listener for ${w.clusterIP}:${w.port}`);
        return undefined;
      });
      this.listeners.set(key, { clusterIP: w.clusterIP, port: w.port, forward });
    }
    const rules: VipRule[] = [];
    for (const l of this.listeners.values()) {
      const f = await l.forward;
      if (f) rules.push({ clusterIP: l.clusterIP, port: l.port, protocol: 'tcp', toPort: f.port });
    }
    if (!this.stopped) await this.chain.set(rules);
  }

  /** Removes the rules and closes the listeners. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.removeHandler?.();
    await this.syncing;
    await this.chain.remove().catch((err: unknown) => this.log?.warn?.({ err }, `iptables chain ${this.chain.chain} not removed`));
    const all = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(all.map(async (l) => (await l.forward)?.close()));
  }
}
