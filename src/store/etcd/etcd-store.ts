/**
 * The etcd ObjectStore: objects in an etcd cluster, under a key prefix, as the Kubernetes API
 * server keeps them, so several API layers in several processes and machines share one cluster
 * state. See docs/stores.md.
 */
import type { Etcd3 as Etcd3Client, IKeyValue, IRequestOp, ITxnResponse, Watcher } from 'etcd3';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject, ObjectList, WatchEvent } from '../../model/types.js';
import type { Clock } from '../../clock/types.js';
import { RealClock } from '../../clock/real-clock.js';
import { TugboatError } from '../../model/errors.js';
import { deepFreeze } from '../../model/freeze.js';
import { required } from '../../model/validation/field-errors.js';
import type {
  DeletePreconditions,
  ListScope,
  ObjectKey,
  ObjectStore,
  ResourceName,
  StoreCreateOptions,
  StoreListPageOptions,
  StoreWatchOptions,
} from '../types.js';
import { assertStorable, carryOver, copyInput, createInput, generateName, isNoop, metaOf, parseResourceVersion } from '../object-stamp.js';
import { alreadyExists, conflict, notFound, storeClosed } from '../store-errors.js';
import { checkDeletePreconditions, checkUpdatePreconditions } from '../preconditions.js';
import { hasSelectors, selects, toFilter, type WatchFilter } from '../watch-filter.js';
import { LATEST, checkLimit, continueTooOld, cutPage, decodeContinue, encodeContinue, pageKey } from '../list-page.js';
import { isCompacted, isFutureRevision, isUnavailable, loadEtcd3, noopPolicy, unavailable } from './etcd-client.js';
import { keyAfter, normalizePrefix, objectKey, prefixEnd, revisionKey, scopePrefix } from './etcd-keys.js';
import { EtcdWatch, type EtcdWatchSource, type EtcdWatchStart } from './etcd-watch.js';

/** Options of {@link EtcdStore}. */
export interface EtcdStoreOptions {
  /** etcd's client URLs, e.g. `['http://127.0.0.1:2379']` (a scheme is optional). */
  endpoints: string[] | string;
  /** Where the objects live in etcd's key space (Kubernetes' `--etcd-prefix`). @default '/registry' */
  prefix?: string;
  /** Source of bookmark timers and of the watch queue's stall detection. @default new RealClock() */
  clock?: Clock;
  /** The most events one watch holds unread before it is ended with Expired (as MemoryStore). @default 10000 */
  maxWatchQueue?: number;
  /**
   * How long a call keeps retrying while etcd is unreachable (a restart, a leader election)
   * before it fails ServiceUnavailable (ms). @default 30000
   */
  retryTimeoutMs?: number;
  /** How long one connection attempt may take (ms). @default 5000 */
  dialTimeoutMs?: number;
}

/** How many generated names are tried before giving up with AlreadyExists. */
const GENERATE_NAME_ATTEMPTS = 8;
/** How many times a compare-and-swap that lost a race is tried again (the object changed between read and write). */
const CAS_ATTEMPTS = 64;
const EMPTY = Buffer.alloc(0);

/**
 * EtcdStore keeps objects in etcd (version 3.4 or later), one key per object under a prefix
 * (`/registry/pods/default/web`, as the Kubernetes API server lays them out). resourceVersion is
 * etcd's mod revision; every write is one transaction that compares the key's revision
 * (compare-and-swap); lists read at one revision and page with limit/continue; watches are etcd
 * watches, resumed after a lost connection without missing a change, with progress notifications
 * as bookmarks; a revision compaction has removed answers Expired, and the reader relists. Use it
 * for a control plane whose API layers run in several processes or machines. Needs the optional
 * peer dependency `etcd3` (version 1).
 */
export class EtcdStore implements ObjectStore {
  private readonly client: Etcd3Client;
  private readonly prefix: string;
  private readonly endpoints: string[];
  private readonly clock: Clock;
  private readonly maxWatchQueue: number;
  private readonly retryTimeoutMs: number;
  private readonly revisionKey: Buffer;
  private readonly watches = new Set<EtcdWatch>();
  private readonly source: EtcdWatchSource;
  private ready: Promise<void> | undefined;
  private closed = false;

  constructor(options: EtcdStoreOptions) {
    const endpoints = typeof options?.endpoints === 'string' ? options.endpoints.split(',') : options?.endpoints;
    if (!Array.isArray(endpoints) || endpoints.length === 0 || endpoints.some((e) => typeof e !== 'string' || !e.trim())) {
      throw TugboatError.badRequest('endpoints: Required value: EtcdStore needs etcd client URLs, e.g. ["http://127.0.0.1:2379"]');
    }
    this.endpoints = endpoints.map((e) => e.trim());
    this.prefix = normalizePrefix(options.prefix);
    this.revisionKey = Buffer.from(revisionKey(this.prefix));
    this.clock = options.clock ?? new RealClock();
    this.maxWatchQueue = positive('maxWatchQueue', options.maxWatchQueue ?? 10_000);
    this.retryTimeoutMs = positive('retryTimeoutMs', options.retryTimeoutMs ?? 30_000);
    const etcd3 = loadEtcd3();
    const noop = noopPolicy() as never;
    this.client = new etcd3.Etcd3({
      hosts: this.endpoints,
      dialTimeout: positive('dialTimeoutMs', options.dialTimeoutMs ?? 5_000),
      faultHandling: { host: () => noop, global: noop, watchBackoff: watchBackoff() as never },
    });
    this.source = {
      prefix: this.prefix,
      watchFrom: (revision) => this.watchFrom(revision),
      decode,
    };
  }

  async get(key: ObjectKey): Promise<KubeObject | undefined> {
    await this.open();
    const kv = await this.read(Buffer.from(objectKey(this.prefix, key)));
    return kv ? decode(kv.value, Number(kv.mod_revision)) : undefined;
  }

  async list(scope: ListScope, options: StoreListPageOptions = {}): Promise<ObjectList> {
    await this.open();
    const filter = toFilter(scope, options);
    const limit = checkLimit(options.limit);
    const start = Buffer.from(scopePrefix(this.prefix, scope));
    const end = prefixEnd(start);
    let from = start;
    let rv: number;
    let kvs: IKeyValue[];
    let count: number;
    const paged = limit > 0 && !hasSelectors(options);
    const point = options.continue ? decodeContinue(filter.resource, options.continue) : undefined;
    if (point) {
      const after = Buffer.from(keyAfter(scopePrefix(this.prefix, { resource: scope.resource }), point.after));
      from = Buffer.concat([after, Buffer.from([0])]);
      if (Buffer.compare(from, start) < 0) from = start;
    }
    if (point && point.rv !== LATEST) {
      rv = point.rv;
      const res = await this.call(() =>
        this.client.kv.range({ key: from, range_end: end, revision: rv, ...(paged ? { limit } : {}) }),
      ).catch((err: unknown) => {
        if (isCompacted(err)) throw continueTooOld(filter.resource, point);
        if (isFutureRevision(err)) throw TugboatError.badRequest('continue key is not valid: its resourceVersion is newer than the store');
        throw err;
      });
      kvs = res.kvs;
      count = Number(res.count);
    } else {
      const res = await this.txn([], [rangeOp(from, end, paged ? limit : 0), rangeOp(this.revisionKey)]);
      const page = res.responses[0].response_range;
      rv = Number(res.responses[1].response_range.kvs[0]?.mod_revision ?? res.header.revision);
      kvs = page.kvs;
      count = Number(page.count);
    }
    const items = kvs.map((kv) => decode(kv.value, Number(kv.mod_revision)));
    if (!paged)
      return cutPage(
        filter.resource,
        items.filter((o) => selects(filter, o)),
        rv,
        limit,
        options,
      );
    if (count <= items.length) return { items, resourceVersion: String(rv) };
    return {
      items,
      resourceVersion: String(rv),
      continue: encodeContinue(filter.resource, { rv, after: pageKey(items[items.length - 1]) }),
      remainingItemCount: count - items.length,
    };
  }

  async create(resource: ResourceName, obj: KubeObject, options?: StoreCreateOptions): Promise<KubeObject> {
    this.assertOpen();
    const copy = createInput(obj, options);
    const meta = metaOf(copy);
    if (meta.resourceVersion) throw TugboatError.badRequest('resourceVersion should not be set on objects to be created');
    const generated = !meta.name;
    if (generated && !meta.generateName) {
      throw TugboatError.invalid({ kind: copy.kind }, '', [required('metadata.name', 'name or generateName is required')]);
    }
    await this.open();
    const namespace = meta.namespace || undefined;
    for (let attempt = 1; ; attempt++) {
      if (generated) meta.name = generateName(meta.generateName as string);
      const key = Buffer.from(objectKey(this.prefix, { resource, namespace, name: meta.name as string }));
      const res = await this.txn(
        [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
        [putOp(key, encode(copy)), putOp(this.revisionKey, EMPTY)],
        [rangeOp(key)],
      );
      if (res.succeeded) return stamp(copy, Number(res.header.revision));
      if (generated && attempt < GENERATE_NAME_ATTEMPTS) continue;
      const existing = res.responses[0]?.response_range.kvs[0];
      // A retried call whose first attempt committed finds its own object (the API server sets a fresh uid).
      if (existing && meta.uid) {
        const stored = decode(existing.value, Number(existing.mod_revision));
        if (stored.metadata.uid === meta.uid) return stored;
      }
      throw alreadyExists(resource, meta.name as string);
    }
  }

  async update(resource: ResourceName, obj: KubeObject): Promise<KubeObject> {
    this.assertOpen();
    assertStorable(obj);
    const name = obj.metadata.name;
    if (typeof name !== 'string' || !name)
      throw TugboatError.invalid({ kind: obj.kind }, '', [required('metadata.name', 'name is required')]);
    const namespace = (typeof obj.metadata.namespace === 'string' && obj.metadata.namespace) || undefined;
    await this.open();
    const key = Buffer.from(objectKey(this.prefix, { resource, namespace, name }));
    for (let attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      const kv = await this.read(key);
      if (!kv) throw notFound(resource, name);
      const stored = decode(kv.value, Number(kv.mod_revision));
      const copy = copyInput(obj, stored);
      checkUpdatePreconditions(resource, stored, copy);
      carryOver(stored, copy);
      if (isNoop(stored, copy)) return stored;
      const res = await this.txn(
        [{ key, target: 'Mod', result: 'Equal', mod_revision: kv.mod_revision }],
        [putOp(key, encode(copy)), putOp(this.revisionKey, EMPTY)],
      );
      if (res.succeeded) return stamp(copy, Number(res.header.revision));
    }
    throw conflict(resource, name);
  }

  async delete(key: ObjectKey, preconditions: DeletePreconditions = {}): Promise<KubeObject> {
    await this.open();
    const etcdKey = Buffer.from(objectKey(this.prefix, key));
    for (let attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      const kv = await this.read(etcdKey);
      if (!kv) throw notFound(key.resource, key.name);
      const stored = decode(kv.value, Number(kv.mod_revision));
      checkDeletePreconditions(key.resource, stored, preconditions);
      const res = await this.txn(
        [{ key: etcdKey, target: 'Mod', result: 'Equal', mod_revision: kv.mod_revision }],
        [{ request_delete_range: { key: etcdKey } }, putOp(this.revisionKey, EMPTY)],
      );
      if (res.succeeded) return stored;
    }
    throw conflict(key.resource, key.name);
  }

  watch(scope: ListScope, options: StoreWatchOptions = {}): AsyncIterable<WatchEvent> {
    return { [Symbol.asyncIterator]: () => this.openWatch(scope, options) };
  }

  async currentResourceVersion(): Promise<string> {
    await this.open();
    const kv = await this.read(this.revisionKey);
    return kv ? kv.mod_revision : '0';
  }

  /**
   * Compacts etcd's history up to `revision` (default: the store's current resourceVersion), as
   * the Kubernetes API server compacts every few minutes: watches and continued lists from older
   * versions then fail Expired. Compaction is etcd-wide: it removes the history of every prefix.
   */
  async compact(revision?: number): Promise<void> {
    await this.open();
    const to = revision ?? Number(await this.currentResourceVersion());
    await this.call(() => this.client.kv.compact({ revision: to, physical: true })).catch((err: unknown) => {
      if (!isCompacted(err)) throw err;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const watch of [...this.watches]) watch.end();
    this.watches.clear();
    this.client.close();
  }

  /** How many watches are open. For leak checks in tests. */
  watchCount(): number {
    return this.watches.size;
  }

  private openWatch(scope: ListScope, options: StoreWatchOptions): EtcdWatch {
    const filter = toFilter(scope, options);
    const start = this.closed ? Promise.reject(storeClosed()) : this.watchStart(filter, options.resourceVersion);
    const watch = new EtcdWatch(
      this.source,
      {
        filter,
        signal: options.signal,
        bookmarkIntervalMs: options.bookmarkIntervalMs,
        clock: this.clock,
        maxQueued: this.maxWatchQueue,
      },
      start,
      (w) => this.watches.delete(w),
    );
    if (!this.closed) this.watches.add(watch);
    return watch;
  }

  /** Where a watch starts: after its resourceVersion, or after a list (sent as ADDED) without one. */
  private async watchStart(filter: WatchFilter, from: string | undefined): Promise<EtcdWatchStart> {
    if (from !== undefined && from !== '' && from !== '0') return { after: parseResourceVersion(from) };
    const list = await this.list(filter, { labelSelector: filter.labelSelector, fieldSelector: filter.fieldSelector });
    return { after: Number(list.resourceVersion), initial: list.items.map((object): WatchEvent => ({ type: 'ADDED', object })) };
  }

  private watchFrom(revision: number): Watcher {
    return this.client.watch().prefix(`${this.prefix}/`).withPreviousKV().startRevision(String(revision)).watcher();
  }

  /** The first call makes sure the revision key exists, so the store's resourceVersion is its own from the start. */
  private open(): Promise<void> {
    this.assertOpen();
    this.ready ??= this.txn(
      [{ key: this.revisionKey, target: 'Create', result: 'Equal', create_revision: 0 }],
      [putOp(this.revisionKey, EMPTY)],
    ).then(
      () => undefined,
      (err: unknown) => {
        this.ready = undefined;
        throw err;
      },
    );
    return this.ready;
  }

  private async read(key: Buffer): Promise<IKeyValue | undefined> {
    const res = await this.call(() => this.client.kv.range({ key }));
    return res.kvs[0];
  }

  private txn(
    compare: Parameters<Etcd3Client['kv']['txn']>[0]['compare'],
    success: IRequestOp[],
    failure: IRequestOp[] = [],
  ): Promise<ITxnResponse> {
    return this.call(() => this.client.kv.txn({ compare, success, failure }));
  }

  /** Runs an etcd call, trying again while etcd is unreachable, up to `retryTimeoutMs`. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryTimeoutMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
      this.assertOpen();
      try {
        return await fn();
      } catch (err) {
        if (this.closed) throw storeClosed();
        if (!isUnavailable(err)) throw err;
        if (Date.now() + delay > deadline) throw unavailable(this.endpoints, err);
        await sleep(delay);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw storeClosed();
  }
}

function rangeOp(key: Buffer, rangeEnd?: Buffer, limit = 0): IRequestOp {
  return { request_range: { key, ...(rangeEnd ? { range_end: rangeEnd } : {}), ...(limit > 0 ? { limit } : {}) } };
}

function putOp(key: Buffer, value: Buffer): IRequestOp {
  return { request_put: { key, value } };
}

/** The stored form of an object: its JSON without resourceVersion (etcd's mod revision is the version). */
function encode(obj: KubeObject): Buffer {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return Buffer.from(JSON.stringify({ ...obj, metadata }));
}

/** A stored value as the frozen object carrying `rv`. */
function decode(value: Buffer, rv: number): KubeObject {
  let obj: KubeObject;
  try {
    obj = JSON.parse(value.toString('utf8')) as KubeObject;
  } catch (err) {
    throw new TugboatError('InternalError', `etcd holds a value that is not a stored object: ${(err as Error).message}`);
  }
  metaOf(obj).resourceVersion = String(rv);
  return deepFreeze(obj);
}

/** The written copy, frozen, carrying the revision its transaction took. */
function stamp(copy: KubeObject, rv: number): KubeObject {
  metaOf(copy).resourceVersion = String(rv);
  return deepFreeze(copy);
}

function positive(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw TugboatError.badRequest(`${field}: Invalid value: ${value}: must be a positive integer`);
  return value;
}

/** One step of a back-off: its delay and the next step. */
interface BackoffStep {
  duration: number;
  next(): BackoffStep;
}

/** Reconnects of the watch stream after etcd went away: from 50 ms, doubling, at most 1 s apart. */
function watchBackoff(): { next(): BackoffStep } {
  const step = (duration: number): BackoffStep => ({ duration, next: () => step(Math.min(duration * 2, 1_000)) });
  return { next: () => step(50) };
}
