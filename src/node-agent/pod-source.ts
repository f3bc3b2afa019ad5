/**
 * The pods of every node agent of one process come from ONE shared watch: a PodDispatcher per
 * ApiContext lists and watches all pods once and hands each change to the agent of the pod's
 * spec.nodeName. It is reference-counted (the first agent starts it, the last one stops it) and
 * relists when its watch expires. This is what lets 5,000 agents share a process.
 */
import type { ApiContext, ResourceClient } from '../client/types.js';
import { ALL_NAMESPACES } from '../client/types.js';
import { TugboatError } from '../model/errors.js';
import { listWatch } from '../client/list-watch.js';
import type { Pod } from '../model/types.js';
import type { PodSink } from './types.js';

const dispatchers = new WeakMap<ApiContext, PodDispatcher>();

/** How long to wait before relisting after a failed list or watch. */
const RETRY_MS = 1000;

/** Shares one watch of all pods among the node agents of an ApiContext. */
export class PodDispatcher {
  private readonly sinks = new Map<string, PodSink>();
  /** Pods bound to a node, by node name then uid. */
  private readonly byNode = new Map<string, Map<string, Pod>>();
  /** The node each known pod is bound to, by uid. */
  private readonly nodeOf = new Map<string, string>();
  private refs = 0;
  private abort?: AbortController;
  private ready?: Promise<void>;
  private readonly client: ResourceClient<Pod>;

  private constructor(private readonly ctx: ApiContext) {
    this.client = ctx.client<Pod>('v1', 'Pod', ALL_NAMESPACES);
  }

  /** The dispatcher of `ctx`, made on first use. */
  static for(ctx: ApiContext): PodDispatcher {
    let d = dispatchers.get(ctx);
    if (!d) {
      d = new PodDispatcher(ctx);
      dispatchers.set(ctx, d);
    }
    return d;
  }

  /** Registers a node's sink; resolves once the initial list was read and the node's pods replayed to it. */
  async register(nodeName: string, sink: PodSink): Promise<void> {
    if (this.sinks.has(nodeName)) throw TugboatError.badRequest(`a node agent for node "${nodeName}" is already running`);
    this.sinks.set(nodeName, sink);
    if (this.refs++ === 0) this.startLoop();
    await this.ready;
    if (this.sinks.get(nodeName) !== sink) return;
    for (const pod of this.byNode.get(nodeName)?.values() ?? []) sink.upsert(pod);
  }

  /** Unregisters a node's sink; the last one stops the watch. */
  unregister(nodeName: string, sink: PodSink): void {
    if (this.sinks.get(nodeName) !== sink) return;
    this.sinks.delete(nodeName);
    if (--this.refs === 0) {
      this.abort?.abort();
      this.abort = undefined;
      this.byNode.clear();
      this.nodeOf.clear();
    }
  }

  private startLoop(): void {
    const abort = new AbortController();
    this.abort = abort;
    let markReady!: () => void;
    this.ready = new Promise((resolve) => (markReady = resolve));
    const { signal } = abort;
    void listWatch(
      this.client,
      {
        onSync: (items) => this.replace(items),
        onEvent: (ev) => (ev.type === 'DELETED' ? this.drop(ev.object.metadata.uid ?? '') : this.put(ev.object)),
      },
      {
        signal,
        onSynced: markReady,
        // Any failure relists after a second of clock time; the loop ends only when the last agent leaves.
        retry: async () => {
          await this.ctx.clock.sleep(RETRY_MS, signal).catch(() => undefined);
          return true;
        },
      },
    ).then(markReady, markReady);
  }

  /** A full list: every pod put, pods no longer listed dropped. */
  private replace(items: Pod[]): void {
    const seen = new Set<string>();
    for (const pod of items) {
      seen.add(pod.metadata.uid ?? '');
      this.put(pod);
    }
    for (const uid of [...this.nodeOf.keys()]) if (!seen.has(uid)) this.drop(uid);
  }

  private put(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const node = pod.spec?.nodeName ?? '';
    const was = this.nodeOf.get(uid);
    if (was !== undefined && was !== node) this.drop(uid);
    if (!node) return;
    let pods = this.byNode.get(node);
    if (!pods) this.byNode.set(node, (pods = new Map()));
    pods.set(uid, pod);
    this.nodeOf.set(uid, node);
    this.sinks.get(node)?.upsert(pod);
  }

  private drop(uid: string): void {
    const node = this.nodeOf.get(uid);
    if (node === undefined) return;
    this.nodeOf.delete(uid);
    const pods = this.byNode.get(node);
    pods?.delete(uid);
    if (pods?.size === 0) this.byNode.delete(node);
    this.sinks.get(node)?.remove(uid);
  }
}
