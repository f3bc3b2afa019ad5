/**
 * An informer: lists and watches one kind across all namespaces into an in-memory cache, keeps
 * indexes over it and tells handlers about changes, as client-go's shared informers. Made by the
 * {@link InformerFactory} of a cluster: one per kind, shared by every component.
 */
import type { ApiContext, ResourceClient } from './types.js';
import type { KubeObject, LabelSelector, Labels, WatchEvent } from '../model/types.js';
import { parseSelector, type Selector } from '../model/selector.js';
import { listWatch, type ListWatchFailure } from './list-watch.js';
import { LabelIndex } from './label-index.js';
import { kindKey, type KindRef } from './kinds.js';
import { silentLogger, type Logger } from './logger.js';
import type { InformerFactory } from './informer-factory.js';

/** Callbacks of an {@link Informer}; called after the cache is updated. */
export interface InformerHandler<T extends KubeObject = KubeObject> {
  /** An object appeared (or was listed). */
  onAdd?(obj: T): void;
  /** An object changed. */
  onUpdate?(oldObj: T, newObj: T): void;
  /** An object was deleted. */
  onDelete?(obj: T): void;
}

/** The values an object is indexed under (controller-runtime's IndexField extractor). */
export type IndexFunc<T extends KubeObject = KubeObject> = (obj: T) => readonly string[];

/** The name of the built-in index of ownerReferences uids (read it with {@link Informer.ownedBy}). */
export const OWNER_UID_INDEX = 'metadata.ownerReferences.uid';

/** How an informer waits between failed list-watches (after its first list): on the clock. */
export interface InformerRetryPolicy {
  /** First wait. @default 100 */
  initialMs?: number;
  /** Cap of the doubling wait. @default 10_000 */
  maxMs?: number;
}

/** Options of {@link Informer}. */
export interface InformerOptions {
  /** Where failed watches are logged. @default silent */
  logger?: Logger;
  /** Back-off of failed watches. */
  retry?: InformerRetryPolicy;
  /**
   * Set by the factory: when the kind is no longer served (its CRD was deleted), the informer
   * waits for the kind to be served again (watching CRDs) instead of retrying on a timer.
   */
  factory?: Pick<InformerFactory, 'isServed' | 'waitForKind'>;
}

/** `namespace/name` (or `name` for cluster-scoped objects): the cache key of an object. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

const NO_VALUES: readonly string[] = Object.freeze([]);

/** One named index: value -> keys of the objects indexed under it. */
class FieldIndex<T extends KubeObject> {
  private readonly byValue = new Map<string, Set<string>>();
  /** The values each object was indexed under (objects with none are absent). */
  private readonly valuesOf = new Map<string, readonly string[]>();

  constructor(readonly extract: IndexFunc<T>) {}

  /** Indexes (or re-indexes) an object; `obj` undefined removes it. */
  set(key: string, obj: T | undefined): void {
    const next = obj ? this.extract(obj) : NO_VALUES;
    const prev = this.valuesOf.get(key) ?? NO_VALUES;
    if (sameValues(prev, next)) return;
    for (const v of prev) {
      const keys = this.byValue.get(v);
      keys?.delete(key);
      if (keys?.size === 0) this.byValue.delete(v);
    }
    for (const v of next) {
      let keys = this.byValue.get(v);
      if (!keys) this.byValue.set(v, (keys = new Set()));
      keys.add(key);
    }
    if (next.length > 0) this.valuesOf.set(key, next);
    else this.valuesOf.delete(key);
  }

  keys(value: string): ReadonlySet<string> | undefined {
    return this.byValue.get(value);
  }
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function ownerUids(obj: KubeObject): readonly string[] {
  const refs = obj.metadata.ownerReferences;
  if (!refs || refs.length === 0) return NO_VALUES;
  return refs.map((r) => r.uid);
}

/**
 * Informer keeps a cache of every object of one kind, kept current by a watch; relists when the
 * watch expires, and retries other failures with back-off on the context's clock. Handlers
 * added late get the cached objects replayed; indexes added late index the cached objects.
 */
export class Informer<T extends KubeObject = KubeObject> {
  readonly apiVersion: string;
  readonly kind: string;
  private readonly objects = new Map<string, T>();
  private readonly indexes = new Map<string, FieldIndex<T>>();
  private readonly byLabel = new LabelIndex();
  private readonly handlers = new Set<InformerHandler<T>>();
  private readonly log: Logger;
  private abort: AbortController | undefined;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private starting: Promise<void> | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly ctx: ApiContext,
    ref: KindRef<T>,
    private readonly options: InformerOptions = {},
  ) {
    this.apiVersion = ref.apiVersion;
    this.kind = ref.kind;
    this.log = options.logger ?? silentLogger;
    this.indexes.set(OWNER_UID_INDEX, new FieldIndex<T>(ownerUids));
  }

  /** Adds handlers; objects already cached are replayed to `onAdd`. Returns a remover. */
  addHandler(handler: InformerHandler<T>): () => void {
    this.handlers.add(handler);
    if (handler.onAdd) for (const o of this.objects.values()) this.call(() => handler.onAdd!(o));
    return () => this.handlers.delete(handler);
  }

  /**
   * Adds a named index: `extract` returns the values an object is found under with
   * {@link byIndex} (controller-runtime's IndexField), e.g.
   * `pods.addIndex('spec.nodeName', (p) => p.spec?.nodeName ? [p.spec.nodeName] : [])`.
   * Throws when the name is taken by a different function; adding the same function again is a no-op.
   */
  addIndex(name: string, extract: IndexFunc<T>): void {
    const existing = this.indexes.get(name);
    if (existing) {
      if (existing.extract === extract) return;
      throw new Error(`informer ${kindKey(this)}: index "${name}" exists already`);
    }
    const index = new FieldIndex<T>(extract);
    for (const [key, obj] of this.objects) index.set(key, obj);
    this.indexes.set(name, index);
  }

  /** The cached objects indexed under `value` by the index `name` (see {@link addIndex}). */
  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`informer ${kindKey(this)}: no index "${name}"`);
    const keys = index.keys(value);
    return keys ? [...this.objectsOf(keys)] : [];
  }

  /**
   * Lists, then watches in the background. Resolves once the first list is cached; rejects when
   * that list fails (the informer can then be started again). Later failures are retried: an
   * expired watch relists at once, other failures after a back-off on the clock, and a kind no
   * longer served (its CRD deleted) waits until it is served again.
   */
  start(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.starting) return this.starting;
    const abort = (this.abort = new AbortController());
    const signal = abort.signal;
    let markSynced!: () => void;
    const listed = new Promise<void>((resolve) => (markSynced = resolve));
    let client: ResourceClient<T>;
    try {
      client = this.ctx.client<T>(this.apiVersion, this.kind, '');
    } catch (err) {
      this.abort = undefined;
      return Promise.reject(err);
    }
    this.loop = listWatch(
      client,
      { onSync: (items) => this.replace(items), onEvent: (ev) => this.apply(ev) },
      { signal, onSynced: markSynced, retry: (failure) => this.retry(failure, signal) },
    );
    const starting = Promise.race([listed, this.loop]).then(
      () => {
        if (this.starting === starting) this.starting = undefined;
      },
      (err: unknown) => {
        if (this.starting === starting) this.starting = undefined;
        if (this.abort === abort) this.abort = undefined;
        throw err;
      },
    );
    this.starting = starting;
    // A failure after the first list is handled by retry; one that escapes is logged here.
    this.loop.catch((err: unknown) => {
      if (this.synced) this.log.error({ kind: this.kind, err: String(err) }, 'informer stopped');
    });
    return starting;
  }

  /** Stops watching; the cache keeps its last contents, and a later {@link start} relists. */
  async stop(): Promise<void> {
    const loop = this.loop;
    this.abort?.abort();
    this.abort = undefined;
    this.starting = undefined;
    this.loop = undefined;
    this.synced = false;
    await loop?.catch(() => undefined);
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
    const selector = options.labelSelector ? parseSelector(options.labelSelector) : undefined;
    const keys = selector ? this.byLabel.candidates(selector) : undefined;
    const candidates = keys ? this.objectsOf(keys) : this.objects.values();
    for (const o of candidates) {
      if (options.namespace && o.metadata.namespace !== options.namespace) continue;
      if (selector && !selector.matches(o.metadata.labels)) continue;
      out.push(o);
    }
    return out;
  }

  /** Cached objects whose ownerReferences name `uid`. */
  ownedBy(uid: string): T[] {
    return this.byIndex(OWNER_UID_INDEX, uid);
  }

  /** Number of cached objects. */
  size(): number {
    return this.objects.size;
  }

  private *objectsOf(keys: Iterable<string>): Iterable<T> {
    for (const k of keys) {
      const o = this.objects.get(k);
      if (o) yield o;
    }
  }

  /** The one retry policy of every informer (see {@link start}). */
  private async retry({ error, failures, synced }: ListWatchFailure, signal: AbortSignal): Promise<boolean> {
    if (!synced) return false;
    const factory = this.options.factory;
    // Discovery that fails (the API server unreachable) is no answer: back off and retry, as for the watch.
    if (factory && !(await factory.isServed(this).catch(() => true))) {
      this.log.info({ kind: this.kind }, 'kind no longer served; waiting for it');
      await factory.waitForKind(this, signal).catch(() => undefined);
      return true;
    }
    const initial = this.options.retry?.initialMs ?? 100;
    const max = this.options.retry?.maxMs ?? 10_000;
    const wait = Math.min(max, initial * 2 ** Math.min(failures - 1, 30));
    this.log.warn({ kind: this.kind, err: String(error), retryInMs: wait }, 'watch failed; retrying');
    await this.ctx.clock.sleep(wait, signal).catch(() => undefined);
    return true;
  }

  /** Runs a handler; a handler that throws is logged and does not stop the others or the watch. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ kind: this.kind, err: String(err) }, 'informer handler failed');
    }
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
    this.objects.set(key, obj);
    this.index(key, obj, old);
    if (old && old.metadata.uid !== obj.metadata.uid) {
      for (const h of this.handlers) if (h.onDelete) this.call(() => h.onDelete!(old));
      for (const h of this.handlers) if (h.onAdd) this.call(() => h.onAdd!(obj));
    } else if (old) {
      for (const h of this.handlers) if (h.onUpdate) this.call(() => h.onUpdate!(old, obj));
    } else {
      for (const h of this.handlers) if (h.onAdd) this.call(() => h.onAdd!(obj));
    }
  }

  private remove(obj: T): void {
    const key = this.keyOf(obj);
    const old = this.objects.get(key);
    if (!old) return;
    this.objects.delete(key);
    this.index(key, undefined, old);
    for (const h of this.handlers) if (h.onDelete) this.call(() => h.onDelete!(obj));
  }

  private index(key: string, obj: T | undefined, old: T | undefined): void {
    const labels = obj?.metadata.labels;
    const oldLabels = old?.metadata.labels;
    if (!old || !obj || !sameLabels(oldLabels, labels)) {
      if (old) this.byLabel.remove(key, oldLabels);
      if (obj) this.byLabel.add(key, labels);
    }
    for (const index of this.indexes.values()) index.set(key, obj);
  }
}

function sameLabels(a: Labels | undefined, b: Labels | undefined): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}
