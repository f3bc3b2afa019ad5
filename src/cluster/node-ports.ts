/**
 * NodePort Services on the host, as kube-proxy does on each node: for every nodePort of a
 * NodePort or LoadBalancer Service, a listener on the nodes' address (127.0.0.1 for the local
 * nodes of this process: one listener serves them all, as they share the address) forwarding each
 * connection to the Service port's Ready endpoints (round-robin). A port the host already uses
 * is reported through the logger and left closed.
 */
import type { Service } from '../model/types.js';
import type { ApiContext } from '../client/types.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { Logger } from '../client/logger.js';
import { kinds } from '../client/kinds.js';
import { listenForwarding, servicePortBackend, type PortForward } from './port-forward.js';

interface Listener {
  key: string;
  forward: Promise<PortForward | undefined>;
}

/** The host listeners of a cluster's node ports (see the file comment). @internal */
export class NodePortProxy {
  private readonly listeners = new Map<number, Listener>();
  private removeHandler?: () => void;
  private stopped = false;

  constructor(
    private readonly context: ApiContext,
    private readonly informers: InformerFactory,
    private readonly address: string,
    private readonly log?: Logger,
  ) {}

  /** Starts following Services. */
  async start(): Promise<void> {
    const informer = await this.informers.start(kinds.Service);
    const sync = (): void => this.sync(informer.list());
    this.removeHandler = informer.addHandler({ onAdd: sync, onUpdate: sync, onDelete: sync });
    sync();
  }

  /** The node ports listened on now. */
  ports(): number[] {
    return [...this.listeners.keys()].sort((a, b) => a - b);
  }

  private sync(services: readonly Service[]): void {
    if (this.stopped) return;
    const wanted = new Map<number, { svc: Service; port: number; key: string }>();
    for (const svc of services) {
      const type = svc.spec?.type;
      if ((type !== 'NodePort' && type !== 'LoadBalancer') || svc.metadata.deletionTimestamp) continue;
      for (const p of svc.spec?.ports ?? []) {
        if (!p.nodePort || (p.protocol ?? 'TCP') !== 'TCP') continue;
        wanted.set(p.nodePort, { svc, port: p.port, key: `${svc.metadata.uid}/${p.port}` });
      }
    }
    for (const [nodePort, l] of this.listeners) {
      if (wanted.get(nodePort)?.key === l.key) continue;
      this.listeners.delete(nodePort);
      void l.forward.then((f) => f?.close());
    }
    for (const [nodePort, w] of wanted) {
      if (this.listeners.has(nodePort)) continue;
      const ns = w.svc.metadata.namespace ?? 'default';
      const backend = servicePortBackend(this.context, w.svc, w.port);
      const forward = listenForwarding(backend, nodePort, this.address).catch((err: unknown) => {
        this.log?.warn?.({ err, nodePort }, `nodePort ${nodePort} of Service ${ns}/${w.svc.metadata.name} could not be opened`);
        return undefined;
      });
      this.listeners.set(nodePort, { key: w.key, forward });
    }
  }

  /** Closes every listener. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.removeHandler?.();
    const all = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(all.map(async (l) => (await l.forward)?.close()));
  }
}
