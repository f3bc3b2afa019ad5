/**
 * Runtime events (container start, exit, OOM, removal) for every node agent on one runtime
 * come from ONE subscription per runtime, dispatched by the cluster and node labels, so a
 * runtime shared by thousands of nodes is not read thousands of times. The node pool owns one
 * hub per runtime and passes it to the agents.
 */
import { RUNTIME_LABELS, type ContainerRuntime, type RuntimeEvent } from '../runtime-adapters/types.js';

/** Shares one `runtime.events()` stream among the node agents that use the runtime. */
export class RuntimeEventHub {
  private readonly handlers = new Map<string, (e: RuntimeEvent) => void>();
  private abort?: AbortController;

  /** @param runtime - the runtime whose events this hub reads (subscribes on the first handler) */
  constructor(readonly runtime: ContainerRuntime) {}

  /** Handles the events of one cluster's node; returns the function that unsubscribes. */
  subscribe(clusterName: string, nodeName: string, handler: (e: RuntimeEvent) => void): () => void {
    const key = `${clusterName}\u0000${nodeName}`;
    this.handlers.set(key, handler);
    if (!this.abort) {
      this.abort = new AbortController();
      void this.loop(this.abort.signal);
    }
    return () => {
      if (this.handlers.get(key) !== handler) return;
      this.handlers.delete(key);
      if (this.handlers.size === 0) this.close();
    };
  }

  /** Ends the subscription to the runtime (a later subscribe starts a new one). */
  close(): void {
    this.abort?.abort();
    this.abort = undefined;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    try {
      for await (const e of this.runtime.events(signal)) {
        if (signal.aborted) break;
        const key = `${e.labels[RUNTIME_LABELS.cluster]}\u0000${e.labels[RUNTIME_LABELS.node]}`;
        this.handlers.get(key)?.(e);
      }
    } catch {
      // The stream failed: the agents' periodic resync is the safety net.
    }
    if (!signal.aborted && this.abort?.signal === signal) this.abort = undefined;
  }
}
