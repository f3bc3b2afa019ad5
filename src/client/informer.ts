/**
 * An informer: lists and watches one kind across all namespaces into an in-memory cache and
 * tells handlers about changes, as client-go's shared informers.
 */
import type { ApiContext, ResourceClient } from './types.js';
import type { KubeObject, LabelSelector, Labels, WatchEvent } from '../model/types.js';
import type { Selector } from '../model/selector.js';
import { listWatch } from './list-watch.js';
import { labelsMatch } from './label-match.js';
import { LabelIndex } from './label-index.js';
import type { Logger } from './logger.js';

/** Callbacks of an {@link Informer}; called after the cache is updated. */
export interface InformerHandler<T extends KubeObject = KubeObject> {
  /** An object appeared (or was listed). */
  onAdd?(obj: T): void;
  /** An object changed. */
  onUpdate?(oldObj: T, newObj: T): void;
  /** An object was deleted. */
  onDelete?(obj: T): void;
}

/** `namespace/name` (or `name` for cluster-scoped objects): the cache key of an object. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * Informer keeps a cache of every object of one kind, kept current by a watch; relists when the
 * watch expires. One informer per kind is shared by every controller of a manager.
 */
export class Informer<T extends KubeObject = KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly byLabel = new LabelIndex();
  private readonly handlers = new Set<InformerHandler<T>>();
  private readonly client: ResourceClient<T>;
  private abort: AbortController | undefined;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private loop: Promise<void> | undefined;

  constructor(
    ctx: ApiContext,
    readonly apiVersion: string,
    readonly kind: string,
    private readonly log?: Logger,
  ) {
    this.client = ctx.client<T>(apiVersion, kind, '');
  }

  /** Adds handlers; objects already cached are replayed to `onAdd`. Returns a remover. */
  addHandler(handler: InformerHandler<T>): () => void {
    this.handlers.add(handler);
    if (handler.onAdd) for (const o of this.objects.values()) handler.onAdd(o);
    return () => this.handlers.delete(handler);
  }

  /**
   * Lists, then watches in the background (the shared api/list-watch loop: relist on Expired,
   * other failures logged and retried after a short real-time back-off). Resolves once the first
   * list is cached; rejects when that list fails.
   */
  async start(): Promise<void> {
    if (this.abort) return this.waitForSync();
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.loop = listWatch(
      this.client,
      { onSync: (items) => this.replace(items), onEvent: (ev) => this.apply(ev) },
      {
        signal,
        retry: async ({ error, failures, synced }) => {
          if (!synced) return false;
          this.log?.warn({ kind: this.kind, err: String(error) }, 'watch failed; retrying');
          await sleepRealOrAbort(Math.min(1000, 10 * 2 ** failures), signal);
          return true;
        },
      },
    );
    await Promise.race([this.waitForSync(), this.loop]);
  }

  /** Stops watching; the cache keeps its last contents. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop?.catch(() => undefined);
  }

  /** True once the first list is in the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once {@link hasSynced}. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The cached object. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(objectKey(namespace, name));
  }

  /** Cached objects, optionally of one namespace and matching a label selector. */
  list(options: { namespace?: string; labelSelector?: LabelSelector | Selector } = {}): T[] {
    const out: T[] = [];
    const keys = options.labelSelector ? this.byLabel.candidates(options.labelSelector) : undefined;
    const candidates = keys ? this.objectsOf(keys) : this.objects.values();
    for (const o of candidates) {
      if (options.namespace && o.metadata.namespace !== options.namespace) continue;
      if (options.labelSelector && !labelsMatch(options.labelSelector, o.metadata.labels)) continue;
      out.push(o);
    }
    return out;
  }

  private *objectsOf(keys: Iterable<string>): Iterable<T> {
    for (const k of keys) {
      const o = this.objects.get(k);
      if (o) yield o;
    }
  }

  /** Cached objects whose ownerReferences name `uid`. */
  ownedBy(uid: string): T[] {
    const keys = this.byOwner.get(uid);
    return keys ? [...this.objectsOf(keys)] : [];
  }

  /** Number of cached objects. */
  size(): number {
    return this.objects.size;
  }

  /** A full list: every object upserted, cached objects no longer listed removed. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(this.keyOf(obj));
      this.upsert(obj);
    }
    for (const [key, obj] of [...this.objects]) if (!seen.has(key)) this.remove(obj);
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private apply(ev: WatchEvent<T>): void {
    if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.upsert(ev.object);
    else if (ev.type === 'DELETED') this.remove(ev.object);
  }

  private keyOf(obj: KubeObject): string {
    return objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
  }

  private upsert(obj: T): void {
    const key = this.keyOf(obj);
    const old = this.objects.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion && old.metadata.uid === obj.metadata.uid) return;
    if (old) this.unindex(old, key, obj);
    this.objects.set(key, obj);
    this.index(obj, key, old);
    if (old && old.metadata.uid !== obj.metadata.uid) {
      for (const h of this.handlers) h.onDelete?.(old);
      for (const h of this.handlers) h.onAdd?.(obj);
    } else if (old) {
      for (const h of this.handlers) h.onUpdate?.(old, obj);
    } else {
      for (const h of this.handlers) h.onAdd?.(obj);
    }
  }

  private remove(obj: T): void {
    const key = this.keyOf(obj);
    const old = this.objects.get(key);
    if (!old) return;
    this.objects.delete(key);
    this.unindex(old, key);
    for (const h of this.handlers) h.onDelete?.(obj);
  }

  private index(obj: T, key: string, replaced?: T): void {
    if (!replaced || !sameLabels(replaced.metadata.labels, obj.metadata.labels)) this.byLabel.add(key, obj.metadata.labels);
    if (replaced && sameOwners(replaced, obj)) return;
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let set = this.byOwner.get(ref.uid);
      if (!set) this.byOwner.set(ref.uid, (set = new Set()));
      set.add(key);
    }
  }

  private unindex(obj: T, key: string, replacement?: T): void {
    if (!replacement || !sameLabels(obj.metadata.labels, replacement.metadata.labels)) this.byLabel.remove(key, obj.metadata.labels);
    if (replacement && sameOwners(obj, replacement)) return;
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const set = this.byOwner.get(ref.uid);
      set?.delete(key);
      if (set && set.size === 0) this.byOwner.delete(ref.uid);
    }
  }
}

/** True when both name the same owner uids (the owner index stays as it is, in creation order). */
function sameOwners(a: KubeObject, b: KubeObject): boolean {
  const ra = a.metadata.ownerReferences ?? [];
  const rb = b.metadata.ownerReferences ?? [];
  return ra === rb || (ra.length === rb.length && ra.every((r, i) => r.uid === rb[i].uid));
}

function sameLabels(a: Labels | undefined, b: Labels | undefined): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}

/** Waits a short real-time moment between failed watches (the store is local: no clock needed). */
function sleepRealOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
