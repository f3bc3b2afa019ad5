/**
 * The SQLite ObjectStore: objects in one file, durable across crashes, shared by the processes
 * that open the same file. One table of revisions (kine's design); see docs/stores.md.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { KubeObject, ObjectList, WatchEvent } from '../../model/types.js';
import type { Clock, Timer } from '../../clock/types.js';
import { RealClock } from '../../clock/real-clock.js';
import { TugboatError } from '../../model/errors.js';
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
import { alreadyExists, notFound, storeClosed } from '../store-errors.js';
import { checkDeletePreconditions, checkUpdatePreconditions } from '../preconditions.js';
import { WatchHub } from '../watch-hub.js';
import { selects, toFilter, type Change } from '../watch-filter.js';
import { WatchStream } from '../watch-stream.js';
import { LATEST, checkLimit, continueTooOld, cutPage, decodeContinue } from '../list-page.js';
import {
  type ChangeRow,
  type KvRow,
  SCHEMA_SQL,
  SCHEMA_VERSION,
  SQL,
  rowName,
  rowObject,
  scopeRange,
  toChange,
  toValue,
} from './schema.js';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file (created when absent); `:memory:` for a private in-memory database. */
  path: string;
  /** Source of bookmark timers, of the poll for other processes' writes and of stall detection. @default new RealClock() */
  clock?: Clock;
  /** How many revisions are kept for resuming watches and continued lists; older superseded rows are compacted away. @default 10000 */
  historySize?: number;
  /** The most events one watch holds unread before it is ended with Expired (as MemoryStore). @default historySize */
  maxWatchQueue?: number;
  /** How often, while a watch is open, the file is checked for other processes' writes (ms). @default 100 */
  pollIntervalMs?: number;
  /**
   * SQLite's `synchronous` setting in WAL mode: `FULL` syncs every commit (survives a power loss),
   * `NORMAL` syncs at checkpoints (survives a crash or SIGKILL of the process, not of the machine).
   * @default 'FULL'
   */
  synchronous?: 'FULL' | 'NORMAL';
}

/** How many generated names are tried before giving up with AlreadyExists. */
const GENERATE_NAME_ATTEMPTS = 8;

type Statements = { [K in keyof typeof SQL]: BetterSqlite3.Statement };

/**
 * SqliteStore keeps objects in a SQLite file (WAL mode, better-sqlite3): every write is one
 * transaction appending a row whose id is the new resourceVersion. Watches are fed in-process by
 * the writer and, for other processes' writes to the same file, by polling the table. Use it for a
 * single-machine control plane that must survive restarts. Needs the optional peer dependency
 * `better-sqlite3` (version 12).
 */
export class SqliteStore implements ObjectStore {
  private readonly db: BetterSqlite3.Database;
  private readonly sql: Statements;
  private readonly clock: Clock;
  private readonly hub = new WatchHub(1, 0);
  private readonly streams = new Set<WatchStream>();
  private readonly historySize: number;
  private readonly maxWatchQueue: number;
  private readonly pollIntervalMs: number;
  private readonly compactBatch: number;
  /** Every change up to this revision has been handed to the hub. */
  private published: number;
  private poll: Timer | undefined;
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    if (!options || typeof options.path !== 'string' || !options.path) throw TugboatError.badRequest('SqliteStore: path is required');
    this.clock = options.clock ?? new RealClock();
    this.historySize = options.historySize ?? 10_000;
    if (!Number.isInteger(this.historySize) || this.historySize < 1) {
      throw TugboatError.badRequest(`historySize must be a positive integer, got ${this.historySize}`);
    }
    this.maxWatchQueue = options.maxWatchQueue ?? this.historySize;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.compactBatch = Math.max(1, Math.ceil(this.historySize / 100));
    const Database = loadBetterSqlite3();
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA_SQL);
    this.sql = Object.fromEntries(Object.entries(SQL).map(([k, text]) => [k, this.db.prepare(text)])) as Statements;
    const schema = (this.sql.schema.get() as { value: number }).value;
    if (schema > SCHEMA_VERSION) {
      this.db.close();
      throw TugboatError.badRequest(`${options.path} has schema version ${schema}; this tugboat reads ${SCHEMA_VERSION}`);
    }
    this.published = this.current();
  }

  async get(key: ObjectKey): Promise<KubeObject | undefined> {
    this.assertOpen();
    const row = this.latest(rowName(key.resource, key.namespace || undefined, key.name));
    return row && !row.deleted ? rowObject(row) : undefined;
  }

  async list(scope: ListScope, options: StoreListPageOptions = {}): Promise<ObjectList> {
    this.assertOpen();
    const filter = toFilter(scope, options);
    const limit = checkLimit(options.limit);
    const [from, to] = scopeRange(filter.resource, filter.namespace);
    const read = this.db.transaction(() => {
      let rv = this.current();
      let after = '';
      if (options.continue) {
        const point = decodeContinue(filter.resource, options.continue);
        if (point.rv > rv) throw TugboatError.badRequest('continue key is not valid: its resourceVersion is newer than the store');
        if (point.rv !== LATEST && point.rv < this.compactRevision()) throw continueTooOld(filter.resource, point);
        if (point.rv !== LATEST) rv = point.rv;
        after = `${filter.resource}/${point.after}`;
      }
      const rows = this.sql.listAt.all(from, to, after, rv) as KvRow[];
      return { rv, items: rows.map(rowObject).filter((o) => selects(filter, o)) };
    });
    const { rv, items } = read();
    return cutPage(filter.resource, items, rv, limit, options);
  }

  async create(resource: ResourceName, obj: KubeObject, options?: StoreCreateOptions): Promise<KubeObject> {
    this.assertOpen();
    const copy = createInput(obj, options);
    const meta = metaOf(copy);
    if (meta.resourceVersion) throw TugboatError.badRequest('resourceVersion should not be set on objects to be created');
    const namespace = meta.namespace || undefined;
    const write = this.db.transaction((): Change => {
      if (!meta.name) meta.name = this.pickGeneratedName(resource, namespace, copy);
      const name = rowName(resource, namespace, meta.name);
      const latest = this.latest(name);
      if (latest && !latest.deleted) throw alreadyExists(resource, meta.name);
      const value = toValue(copy);
      const rv = this.insert(name, 1, 0, latest?.id ?? 0, value);
      return { type: 'ADDED', rv, resource, namespace, object: rowObject({ id: rv, value }) };
    });
    return this.committed(write.immediate());
  }

  async update(resource: ResourceName, obj: KubeObject): Promise<KubeObject> {
    this.assertOpen();
    assertStorable(obj);
    const name = obj.metadata.name;
    if (typeof name !== 'string' || !name)
      throw TugboatError.invalid({ kind: obj.kind }, '', [required('metadata.name', 'name is required')]);
    const namespace = (typeof obj.metadata.namespace === 'string' && obj.metadata.namespace) || undefined;
    const key = rowName(resource, namespace, name);
    const write = this.db.transaction((): Change | KubeObject => {
      const latest = this.latest(key);
      if (!latest || latest.deleted) throw notFound(resource, name);
      const stored = rowObject(latest);
      const copy = copyInput(obj, stored);
      checkUpdatePreconditions(resource, stored, copy);
      carryOver(stored, copy);
      if (isNoop(stored, copy)) return stored;
      const value = toValue(copy);
      const rv = this.insert(key, 0, 0, latest.id, value);
      return { type: 'MODIFIED', rv, resource, namespace, object: rowObject({ id: rv, value }), previous: stored };
    });
    const result = write.immediate();
    return 'rv' in result && 'type' in result ? this.committed(result as Change) : (result as KubeObject);
  }

  async delete(key: ObjectKey, preconditions: DeletePreconditions = {}): Promise<KubeObject> {
    this.assertOpen();
    const namespace = key.namespace || undefined;
    const name = rowName(key.resource, namespace, key.name);
    const write = this.db.transaction((): Change => {
      const latest = this.latest(name);
      if (!latest || latest.deleted) throw notFound(key.resource, key.name);
      const stored = rowObject(latest);
      checkDeletePreconditions(key.resource, stored, preconditions);
      const rv = this.insert(name, 0, 1, latest.id, latest.value);
      return {
        type: 'DELETED',
        rv,
        resource: key.resource,
        namespace,
        object: rowObject({ id: rv, value: latest.value }),
        previous: stored,
      };
    });
    const change = write.immediate();
    this.committed(change);
    return change.previous as KubeObject;
  }

  watch(scope: ListScope, options: StoreWatchOptions = {}): AsyncIterable<WatchEvent> {
    return { [Symbol.asyncIterator]: () => this.openWatch(scope, options) };
  }

  async currentResourceVersion(): Promise<string> {
    this.assertOpen();
    return String(this.current());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.poll?.cancel();
    this.poll = undefined;
    for (const stream of [...this.streams]) stream.end();
    this.db.close();
  }

  /** How many watches are open. For leak checks in tests. */
  watchCount(): number {
    return this.hub.listenerCount;
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
    const subscribe = (listener: (change: Change) => void): (() => void) => {
      const off = this.hub.subscribe(listener);
      this.schedulePoll();
      return () => {
        off();
        if (stream) this.streams.delete(stream);
      };
    };
    const fail = (error: Error): WatchStream => new WatchStream({ ...base, after: 0, error, subscribe });
    if (this.closed) return fail(storeClosed());
    try {
      this.catchUp();
      const from = options.resourceVersion;
      if (from === undefined || from === '' || from === '0') {
        const [start, end] = scopeRange(filter.resource, filter.namespace);
        const rows = this.sql.listAt.all(start, end, '', this.published) as KvRow[];
        const initial = rows
          .map(rowObject)
          .filter((o) => selects(filter, o))
          .map((object): WatchEvent => ({ type: 'ADDED', object }));
        stream = new WatchStream({ ...base, after: this.published, initial, subscribe });
      } else {
        const after = parseResourceVersion(from);
        const compacted = this.compactRevision();
        if (after < compacted) throw TugboatError.expired(`too old resource version: ${after} (${compacted})`);
        const replay = after < this.published ? this.changes(after, this.published) : [];
        stream = new WatchStream({ ...base, after, replay, subscribe });
      }
    } catch (err) {
      return fail(err as Error);
    }
    if (stream.attached) this.streams.add(stream);
    return stream;
  }

  /** Publishes a write this process just committed (and any other process's before it), then compacts when due. */
  private committed(change: Change): KubeObject {
    if (change.rv === this.published + 1) {
      this.published = change.rv;
      this.hub.publish(change);
    } else this.catchUp();
    if (change.rv - this.compactRevision() >= this.historySize + this.compactBatch) this.compact(change.rv - this.historySize);
    return change.object;
  }

  /** Hands the hub every committed change it has not seen (other processes' writes). */
  private catchUp(): void {
    if (this.closed) return;
    const current = this.current();
    if (current <= this.published) return;
    const changes = this.changes(this.published, current);
    this.published = current;
    for (const change of changes) this.hub.publish(change);
  }

  private changes(after: number, upTo: number): Change[] {
    return (this.sql.changes.all(after, upTo) as ChangeRow[]).map(toChange);
  }

  private schedulePoll(): void {
    if (this.poll || this.closed) return;
    this.poll = this.clock.setTimeout(() => {
      this.poll = undefined;
      if (this.closed || this.hub.listenerCount === 0) return;
      this.catchUp();
      this.schedulePoll();
    }, this.pollIntervalMs);
  }

  /** Removes the rows no resumable revision needs: those superseded at or before `to`, and tombstones. */
  private compact(to: number): void {
    this.db
      .transaction(() => {
        const from = this.compactRevision();
        if (to <= from) return;
        this.sql.compactSuperseded.run(from, to);
        this.sql.compactTombstones.run(from, to);
        this.sql.setCompactRevision.run(to);
      })
      .immediate();
  }

  private insert(name: string, created: number, deleted: number, prev: number, value: string): number {
    return Number(this.sql.insert.run(name, created, deleted, prev, value).lastInsertRowid);
  }

  private latest(name: string): KvRow | undefined {
    return this.sql.latest.get(name) as KvRow | undefined;
  }

  private current(): number {
    return (this.sql.current.get() as { seq: number }).seq;
  }

  private compactRevision(): number {
    return (this.sql.compactRevision.get() as { value: number }).value;
  }

  private pickGeneratedName(resource: string, namespace: string | undefined, obj: KubeObject): string {
    const prefix = obj.metadata.generateName;
    if (!prefix) throw TugboatError.invalid({ kind: obj.kind }, '', [required('metadata.name', 'name or generateName is required')]);
    let name = generateName(prefix);
    for (let i = 1; i < GENERATE_NAME_ATTEMPTS; i++) {
      const row = this.latest(rowName(resource, namespace, name));
      if (!row || row.deleted) break;
      name = generateName(prefix);
    }
    return name;
  }

  private assertOpen(): void {
    if (this.closed) throw storeClosed();
  }
}

/** better-sqlite3, loaded on first use so that importing `tugboat/sqlite` needs nothing installed. */
function loadBetterSqlite3(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch (err) {
    throw new TugboatError(
      'ServiceUnavailable',
      `SqliteStore needs the optional peer dependency better-sqlite3 (version 12): npm install better-sqlite3@12 (${(err as Error).message})`,
    );
  }
}
