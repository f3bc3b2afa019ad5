/**
 * The in-memory ObjectStore: tugboat's default store, and the reference the conformance suite
 * is checked against.
 */
import type { KubeObject, ObjectList, WatchEvent } from '../model/types.js';
import type { Clock } from '../clock/types.js';
import { RealClock } from '../clock/real-clock.js';
import { TugboatError } from '../model/errors.js';
import { required } from '../model/validation/field-errors.js';
import type {
  DeletePreconditions,
  ListScope,
  ObjectKey,
  ObjectStore,
  ResourceName,
  StoreCreateOptions,
  StoreListPageOptions,
  StoreWatchOptions,
} from './types.js';
import { deepFreeze } from '../model/freeze.js';
import { assertStorable, carryOver, copyInput, createInput, metaOf, generateName, isNoop, parseResourceVersion } from './object-stamp.js';
import { alreadyExists, notFound, storeClosed } from './store-errors.js';
import { checkDeletePreconditions, checkUpdatePreconditions } from './preconditions.js';
import { WatchHub } from './watch-hub.js';
import { selects, toFilter, withResourceVersion } from './watch-filter.js';
import { WatchStream } from './watch-stream.js';
import { ObjectIndex } from './object-index.js';
import { LATEST, checkLimit, continueTooOld, cutPage, decodeContinue, pageKey } from './list-page.js';
import { objectsBefore } from './snapshot-at.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Source of bookmark timers. @default new RealClock() */
  clock?: Clock;
  /** How many changes are kept for watches resuming from a resourceVersion. @default 10000 */
  historySize?: number;
  /**
   * The most events one watch holds unread; a watcher further behind is ended with Expired and
   * relists (as the API server closes an unresponsive watcher). @default historySize
   */
  maxWatchQueue?: number;
}

/** How many generated names are tried before giving up with AlreadyExists. */
const GENERATE_NAME_ATTEMPTS = 8;

/**
 * MemoryStore keeps objects in process memory, indexed by resource and namespace. Writes are
 * atomic (each completes synchronously inside its promise), so optimistic concurrency through
 * resourceVersion behaves as with etcd. Use it for single-process clusters and tests.
 */
export class MemoryStore implements ObjectStore {
  private readonly clock: Clock;
  private readonly index = new ObjectIndex();
  private readonly hub: WatchHub;
  private readonly streams = new Set<WatchStream>();
  private rv = 1;
  private closed = false;
  private readonly maxWatchQueue: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.clock = options.clock ?? new RealClock();
    this.hub = new WatchHub(options.historySize ?? 10_000, this.rv);
    this.maxWatchQueue = options.maxWatchQueue ?? options.historySize ?? 10_000;
  }

  async get(key: ObjectKey): Promise<KubeObject | undefined> {
    this.assertOpen();
    return this.index.get(key.resource, key.namespace || undefined, key.name);
  }

  async list(scope: ListScope, options: StoreListPageOptions = {}): Promise<ObjectList> {
    this.assertOpen();
    const filter = toFilter(scope, options);
    const limit = checkLimit(options.limit);
    if (!options.continue) {
      const items = this.index.list(filter.resource, filter.namespace, (o) => selects(filter, o));
      return cutPage(filter.resource, items, this.rv, limit, options);
    }
    const point = decodeContinue(filter.resource, options.continue);
    if (point.rv > this.rv) throw TugboatError.badRequest('continue key is not valid: its resourceVersion is newer than the store');
    let all: KubeObject[];
    const rv = point.rv === LATEST ? this.rv : point.rv;
    if (rv === this.rv) all = this.index.list(filter.resource, filter.namespace, () => true);
    else {
      let changes: ReturnType<WatchHub['since']>;
      try {
        changes = this.hub.since(rv);
      } catch {
        throw continueTooOld(filter.resource, point);
      }
      all = objectsBefore(
        this.index.list(filter.resource, filter.namespace, () => true),
        changes,
        filter,
      );
    }
    const items = all.filter((o) => pageKey(o) > point.after && selects(filter, o));
    return cutPage(filter.resource, items, rv, limit, options);
  }

  async create(resource: ResourceName, obj: KubeObject, options?: StoreCreateOptions): Promise<KubeObject> {
    this.assertOpen();
    const copy = createInput(obj, options);
    const meta = metaOf(copy);
    if (meta.resourceVersion) throw TugboatError.badRequest('resourceVersion should not be set on objects to be created');
    const namespace = meta.namespace || undefined;
    if (!meta.name) meta.name = this.pickGeneratedName(resource, namespace, copy);
    if (this.index.get(resource, namespace, meta.name)) throw alreadyExists(resource, meta.name);
    const rv = ++this.rv;
    meta.resourceVersion = String(rv);
    const object = deepFreeze(copy);
    this.index.put(resource, namespace, meta.name, object);
    this.hub.publish({ type: 'ADDED', rv, resource, namespace, object });
    return object;
  }

  async update(resource: ResourceName, obj: KubeObject): Promise<KubeObject> {
    this.assertOpen();
    assertStorable(obj);
    const name = obj.metadata.name;
    if (typeof name !== 'string' || !name) throw nameRequired(obj, 'name is required');
    const namespace = (typeof obj.metadata.namespace === 'string' && obj.metadata.namespace) || undefined;
    const stored = this.index.get(resource, namespace, name);
    if (!stored) throw notFound(resource, name);
    // Share what did not change with the stored version (frozen, so it is never copied again).
    const copy = copyInput(obj, stored);
    const meta = metaOf(copy);
    checkUpdatePreconditions(resource, stored, copy);
    carryOver(stored, copy);
    if (isNoop(stored, copy)) return stored;
    const rv = ++this.rv;
    meta.resourceVersion = String(rv);
    const object = deepFreeze(copy);
    this.index.put(resource, namespace, name, object);
    this.hub.publish({ type: 'MODIFIED', rv, resource, namespace, object, previous: stored });
    return object;
  }

  async delete(key: ObjectKey, preconditions: DeletePreconditions = {}): Promise<KubeObject> {
    this.assertOpen();
    const namespace = key.namespace || undefined;
    const stored = this.index.get(key.resource, namespace, key.name);
    if (!stored) throw notFound(key.resource, key.name);
    checkDeletePreconditions(key.resource, stored, preconditions);
    this.index.remove(key.resource, namespace, key.name);
    const rv = ++this.rv;
    this.hub.publish({ type: 'DELETED', rv, resource: key.resource, namespace, object: withResourceVersion(stored, rv), previous: stored });
    return stored;
  }

  watch(scope: ListScope, options: StoreWatchOptions = {}): AsyncIterable<WatchEvent> {
    return { [Symbol.asyncIterator]: () => this.openWatch(scope, options) };
  }

  async currentResourceVersion(): Promise<string> {
    this.assertOpen();
    return String(this.rv);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const stream of [...this.streams]) stream.end();
  }

  /** How many watches are open (each holds one listener). For leak checks in tests. */
  watchCount(): number {
    return this.hub.listenerCount;
  }

  /** The number of stored objects. */
  size(): number {
    return this.index.size;
  }

  private openWatch(scope: ListScope, options: StoreWatchOptions): WatchStream {
    const filter = toFilter(scope, options);
    const base = {
      filter,
      signal: options.signal,
      bookmarkIntervalMs: options.bookmarkIntervalMs,
      clock: this.clock,
      maxQueued: this.maxWatchQueue,
    };
    let stream: WatchStream | undefined;
    const subscribe = (listener: Parameters<WatchHub['subscribe']>[0]): (() => void) => {
      const off = this.hub.subscribe(listener);
      return () => {
        off();
        if (stream) this.streams.delete(stream);
      };
    };
    const fail = (error: Error): WatchStream => new WatchStream({ ...base, after: this.rv, error, subscribe });
    if (this.closed) return fail(storeClosed());
    const from = options.resourceVersion;
    if (from === undefined || from === '' || from === '0') {
      const items = this.index.list(filter.resource, filter.namespace, (o) => selects(filter, o));
      const initial = items.map((object): WatchEvent => ({ type: 'ADDED', object }));
      stream = new WatchStream({ ...base, after: this.rv, initial, subscribe });
    } else {
      let after: number;
      let replay;
      try {
        after = parseResourceVersion(from);
        replay = this.hub.since(after);
      } catch (err) {
        return fail(err as Error);
      }
      stream = new WatchStream({ ...base, after, replay, subscribe });
    }
    if (stream.attached) this.streams.add(stream);
    return stream;
  }

  private pickGeneratedName(resource: string, namespace: string | undefined, obj: KubeObject): string {
    const prefix = obj.metadata.generateName;
    if (!prefix) throw nameRequired(obj, 'name or generateName is required');
    let name = generateName(prefix);
    for (let i = 1; i < GENERATE_NAME_ATTEMPTS && this.index.get(resource, namespace, name); i++) name = generateName(prefix);
    return name;
  }

  private assertOpen(): void {
    if (this.closed) throw storeClosed();
  }
}

/** Invalid: metadata.name (Required value: `message`). */
function nameRequired(obj: KubeObject, message: string): TugboatError {
  return TugboatError.invalid({ kind: obj.kind }, '', [required('metadata.name', message)]);
}
