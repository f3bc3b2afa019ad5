/**
 * A pod watch across all namespaces that keeps the store's pods as of the last event, and runs
 * a check on that state after every event (so invariants are checked at every step).
 */
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { Pod } from '../../../src/model/types.js';

/** Watches every pod; `check` sees the pods after each event and returns violations (strings). */
export class PodWatch {
  readonly pods = new Map<string, Pod>();
  readonly violations: string[] = [];
  events = 0;
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;
  private started!: () => void;
  /** Resolves once the watch has its initial state. */
  readonly ready = new Promise<void>((r) => (this.started = r));

  constructor(
    cluster: Cluster,
    private readonly check: (pods: Pod[], source: string) => string[],
  ) {
    const client = cluster.client<Pod>('v1', 'Pod', '');
    this.done = (async () => {
      try {
        // Seed with a list, then watch from its version: the check sees whole states only.
        const list = await client.list();
        for (const p of list.items) this.pods.set(p.metadata.uid ?? '', p);
        this.started();
        for await (const e of client.watch({ signal: this.abort.signal, resourceVersion: list.resourceVersion })) {
          const uid = e.object.metadata.uid ?? '';
          if (e.type === 'DELETED') this.pods.delete(uid);
          else if (e.type === 'ADDED' || e.type === 'MODIFIED') this.pods.set(uid, e.object);
          else continue;
          this.events++;
          this.record(`watch event ${this.events} (${e.type} ${e.object.metadata.name})`, [...this.pods.values()]);
        }
      } catch (err) {
        this.started();
        if (!this.abort.signal.aborted) this.violations.push(`watch failed: ${String(err)}`);
      }
    })();
  }

  /** Runs the check on a state read some other way (e.g. a list after a clock step). */
  record(source: string, pods: Pod[]): void {
    for (const v of this.check(pods, source)) if (this.violations.length < 20) this.violations.push(`${source}: ${v}`);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
