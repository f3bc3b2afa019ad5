/**
 * The pods of every node agent of a cluster come from ONE shared informer: the PodDispatcher
 * indexes the cluster's Pod informer by spec.nodeName and hands each change to the agent of the
 * pod's node. The composition root (the node pool) makes one per cluster and passes it to every
 * agent; this is what lets 5,000 agents share a process.
 */
import type { Informer } from '../client/informer.js';
import { TugboatError } from '../model/errors.js';
import type { Pod } from '../model/types.js';
import type { PodSink } from './types.js';

/** The name of the Pod informer's index by node. */
export const NODE_NAME_INDEX = 'spec.nodeName';

/** The index function of {@link NODE_NAME_INDEX}: the node a pod is bound to. */
function nodeNameOf(pod: Pod): readonly string[] {
  const node = pod.spec?.nodeName;
  return node ? [node] : [];
}

/** Dispatches the changes of one Pod informer to the node agents, by spec.nodeName. */
export class PodDispatcher {
  private readonly sinks = new Map<string, PodSink>();
  private readonly removeHandler: () => void;

  /** @param pods - the shared Pod informer (started by the first {@link register}) */
  constructor(private readonly pods: Informer<Pod>) {
    pods.addIndex(NODE_NAME_INDEX, nodeNameOf);
    this.removeHandler = pods.addHandler({
      onAdd: (pod) => this.put(pod),
      onUpdate: (old, pod) => {
        const was = old.spec?.nodeName;
        if (was && was !== pod.spec?.nodeName) this.sinks.get(was)?.remove(old.metadata.uid ?? '');
        this.put(pod);
      },
      onDelete: (pod) => {
        const node = pod.spec?.nodeName;
        if (node) this.sinks.get(node)?.remove(pod.metadata.uid ?? '');
      },
    });
  }

  /** Registers a node's sink; resolves once the informer has synced and the node's pods are replayed to it. */
  async register(nodeName: string, sink: PodSink): Promise<void> {
    if (this.sinks.has(nodeName)) throw TugboatError.badRequest(`a node agent for node "${nodeName}" is already running`);
    this.sinks.set(nodeName, sink);
    try {
      await this.pods.start();
    } catch (err) {
      if (this.sinks.get(nodeName) === sink) this.sinks.delete(nodeName);
      throw err;
    }
    if (this.sinks.get(nodeName) !== sink) return;
    for (const pod of this.pods.byIndex(NODE_NAME_INDEX, nodeName)) sink.upsert(pod);
  }

  /** Unregisters a node's sink. */
  unregister(nodeName: string, sink: PodSink): void {
    if (this.sinks.get(nodeName) === sink) this.sinks.delete(nodeName);
  }

  /** The pods bound to a node, as cached. */
  podsOf(nodeName: string): Pod[] {
    return this.pods.byIndex(NODE_NAME_INDEX, nodeName);
  }

  /** Detaches from the informer (the informer itself belongs to its factory). */
  close(): void {
    this.sinks.clear();
    this.removeHandler();
  }

  private put(pod: Pod): void {
    const node = pod.spec?.nodeName;
    if (node) this.sinks.get(node)?.upsert(pod);
  }
}
