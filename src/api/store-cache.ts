/**
 * A cache of one resource's objects kept by listing and then watching the store, as the listers
 * kube-apiserver's admission plugins read (ResourceQuota, LimitRanger, Priority): a read is a Map
 * lookup instead of a list per write. It is as fresh as the store's watch (in-process: a few
 * microtasks behind a write); until it has listed once, reads fall back to `undefined` so the
 * caller reads the store itself.
 */
import type { KubeObject } from '../model/types.js';
import type { ObjectStore } from '../store/types.js';
import { isExpired } from '../client/list-watch.js';

function rvOf(obj: KubeObject): number {
  const n = Number(obj.metadata.resourceVersion);
  return Number.isFinite(n) ? n : 0;
}

/** The cache (see the file comment). */
export class StoreCache<T extends KubeObject = KubeObject> {
  /** namespace ('' for cluster-scoped objects) -> name -> object. */
  private readonly byNamespace = new Map<string, Map<string, T>>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private synced = false;

  /**
   * @param store where the objects are read from.
   * @param resource the store resource (`core/resourcequotas`, see storeResourceOf).
   */
  constructor(
    private readonly store: ObjectStore,
    readonly resource: string,
  ) {}

  /** Lists the resource, then follows its changes until {@link stop}. */
  async start(): Promise<void> {
    if (this.loop) return;
    const rv = await this.relist();
    this.loop = this.run(rv);
  }

  /** Stops following the store (reads then fall back to the store). */
  async stop(): Promise<void> {
    this.abort.abort();
    this.synced = false;
    await this.loop;
  }

  /** The objects of a namespace ('' for all, or cluster-scoped ones); undefined when the cache is not synced. */
  list(namespace: string): readonly T[] | undefined {
    if (!this.synced) return undefined;
    if (namespace) return [...(this.byNamespace.get(namespace)?.values() ?? [])];
    return [...this.byNamespace.values()].flatMap((m) => [...m.values()]);
  }

  /** One object; undefined when absent, null when the cache is not synced. */
  get(namespace: string, name: string): T | undefined | null {
    if (!this.synced) return null;
    return this.byNamespace.get(namespace)?.get(name);
  }

  /** Takes a version the caller has just read or written, unless the cache holds a newer one. */
  observe(obj: T): void {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const prev = this.byNamespace.get(ns)?.get(name);
    if (prev && rvOf(prev) >= rvOf(obj)) return;
    this.set(ns, name, obj);
  }

  private set(ns: string, name: string, obj: T): void {
    let names = this.byNamespace.get(ns);
    if (!names) this.byNamespace.set(ns, (names = new Map()));
    names.set(name, obj);
  }

  private remove(ns: string, name: string, rv: number): void {
    const names = this.byNamespace.get(ns);
    const prev = names?.get(name);
    if (!names || !prev || rvOf(prev) > rv) return;
    names.delete(name);
    if (!names.size) this.byNamespace.delete(ns);
  }

  private async relist(): Promise<string> {
    const list = await this.store.list({ resource: this.resource });
    this.byNamespace.clear();
    for (const obj of list.items as T[]) this.set(obj.metadata.namespace ?? '', obj.metadata.name ?? '', obj);
    this.synced = true;
    return list.resourceVersion;
  }

  private async run(from: string): Promise<void> {
    const signal = this.abort.signal;
    let rv = from;
    while (!signal.aborted) {
      try {
        for await (const event of this.store.watch({ resource: this.resource }, { resourceVersion: rv, signal })) {
          rv = event.object?.metadata?.resourceVersion || rv;
          if (event.type === 'BOOKMARK') continue;
          const obj = event.object as T;
          const ns = obj.metadata.namespace ?? '';
          if (event.type === 'DELETED') this.remove(ns, obj.metadata.name ?? '', rvOf(obj));
          else this.observe(obj);
        }
        if (signal.aborted) return;
      } catch (err) {
        if (signal.aborted) return;
        // An expired version: relist. Anything else (a closed store): stop; reads go to the store.
        this.synced = false;
        if (!isExpired(err)) return;
        try {
          rv = await this.relist();
        } catch {
          return;
        }
      }
    }
  }
}
