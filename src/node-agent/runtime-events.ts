/**
 * Runtime events (container start, exit, OOM, removal) for every node agent on one runtime
 * come from ONE subscription per runtime, dispatched by the node label, so a runtime shared
 * by thousands of nodes is not read thousands of times.
 */
import { RUNTIME_LABELS, type ContainerRuntime, type RuntimeEvent } from '../runtime-adapters/types.js';

const hubs = new WeakMap<ContainerRuntime, RuntimeEventHub>();

/** Shares one `runtime.events()` stream among the node agents that use the runtime. */
export class RuntimeEventHub {
  private readonly handlers = new Map<string, (e: RuntimeEvent) => void>();
  private abort?: AbortController;

  private constructor(private readonly runtime: ContainerRuntime) {}

  /** The hub of a runtime, made on first use. */
  static for(runtime: ContainerRuntime): RuntimeEventHub {
    let h = hubs.get(runtime);
    if (!h) {
      h = new RuntimeEventHub(runtime);
      hubs.set(runtime, h);
    }
    return h;
  }

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
      if (this.handlers.size === 0) {
        this.abort?.abort();
        this.abort = undefined;
      }
    };
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
