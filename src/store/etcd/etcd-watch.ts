/**
 * One EtcdStore watch: an etcd watch over the store's whole prefix (so every write of the store,
 * in any resource, advances the watch's progress for bookmarks), turned into the store's changes
 * and fed to a {@link WatchStream}. It resumes after a lost connection (an etcd restart) from the
 * last revision it delivered, so nothing is missed or repeated; a revision compaction has removed
 * ends it with Expired, and the reader relists.
 */
import type { IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import type { KubeObject, WatchEvent } from '../../model/types.js';
import { TugboatError } from '../../model/errors.js';
import type { Change } from '../watch-filter.js';
import { WatchStream, type WatchStreamOptions } from '../watch-stream.js';
import type { BufferedIterator } from '../../model/async-queue.js';
import { namespaceIn, scopePrefix } from './etcd-keys.js';

/** What a watch needs from its store. */
export interface EtcdWatchSource {
  /** The store's key prefix (objects live under `<prefix>/`). */
  prefix: string;
  /** Starts an etcd watch of every key under `<prefix>/` from `revision` (with previous values). */
  watchFrom(revision: number): Watcher;
  /** Decodes a stored value into a frozen object carrying `rv`. */
  decode(value: Buffer, rv: number): KubeObject;
}

/** Options of one watch: its filter and the WatchStream's settings. */
export type EtcdWatchOptions = Omit<WatchStreamOptions, 'after' | 'initial' | 'replay' | 'error' | 'subscribe'>;

/** Where a watch starts: after `after`, with the `initial` ADDED events of a list (a watch without resourceVersion). */
export interface EtcdWatchStart {
  after: number;
  initial?: WatchEvent[];
}

/** A change out of the watch's resource: it only moves the progress on. */
const OUT_OF_SCOPE = Object.freeze({ apiVersion: '', kind: '', metadata: Object.freeze({}) }) as KubeObject;

/**
 * EtcdWatch is the iterator a caller of `EtcdStore.watch` gets. Its start is asynchronous (a
 * list first, for a watch without resourceVersion), so it hands events out once the underlying
 * {@link WatchStream} exists; ending it before then ends it as soon as it starts.
 */
export class EtcdWatch implements AsyncIterableIterator<WatchEvent>, BufferedIterator<WatchEvent> {
  private stream: WatchStream | undefined;
  private readonly ready: Promise<WatchStream>;
  private ended = false;

  constructor(
    private readonly source: EtcdWatchSource,
    private readonly options: EtcdWatchOptions,
    start: Promise<EtcdWatchStart>,
    onEnd: (watch: EtcdWatch) => void,
  ) {
    this.ready = start.then(
      (point) => this.open(point, onEnd),
      (error: Error) => {
        onEnd(this);
        return new WatchStream({ ...options, after: 0, error, subscribe: () => () => {} });
      },
    );
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<WatchEvent> {
    return this;
  }

  async next(): Promise<IteratorResult<WatchEvent>> {
    return (this.stream ?? (await this.ready)).next();
  }

  /** The events buffered now (none before the watch has started). */
  takeBuffered(max?: number): WatchEvent[] {
    return this.stream ? this.stream.takeBuffered(max) : [];
  }

  async return(): Promise<IteratorResult<WatchEvent>> {
    this.end();
    return { done: true, value: undefined };
  }

  /** Ends the watch (now, or as soon as it has started). */
  end(): void {
    this.ended = true;
    this.stream?.end();
  }

  private open(point: EtcdWatchStart, onEnd: (watch: EtcdWatch) => void): WatchStream {
    const filter = this.options.filter;
    const base = scopePrefix(this.source.prefix, { resource: filter.resource });
    let stream: WatchStream | undefined;
    const subscribe = (listener: (change: Change) => void): (() => void) => {
      const feed = new EtcdFeed(this.source, filter.resource, base, point.after, listener, {
        progressed: (rv) => stream?.progressed(rv),
        failed: (error) => stream?.fail(error),
      });
      return () => {
        feed.cancel();
        onEnd(this);
      };
    };
    stream = new WatchStream({ ...this.options, after: point.after, initial: point.initial, subscribe });
    if (!stream.attached) onEnd(this);
    this.stream = stream;
    if (this.ended) stream.end();
    return stream;
  }
}

/** Receives what is not a change from a feed. */
interface FeedHandlers {
  /** A progress notification: every change up to `rv` has been delivered. */
  progressed(rv: number): void;
  /** The watch cannot go on (compacted, canceled by etcd). */
  failed(error: Error): void;
}

/** The etcd watcher behind one watch, and its resume point. */
class EtcdFeed {
  private readonly watcher: Watcher;
  /** Every change up to this revision has been delivered (or reported by a progress notification). */
  private delivered: number;
  private done = false;

  constructor(
    private readonly source: EtcdWatchSource,
    private readonly resource: string,
    private readonly base: string,
    after: number,
    private readonly listener: (change: Change) => void,
    private readonly handlers: FeedHandlers,
  ) {
    this.delivered = after;
    this.watcher = source.watchFrom(after + 1);
    this.watcher.on('data', (res) => this.onData(res));
    // The client resumes from the revision after the last response's header, which can be past the
    // last event of a batched catch-up: resume from what was delivered instead.
    this.watcher.on('disconnected', () => {
      (this.watcher.request as { start_revision?: string }).start_revision = String(this.delivered + 1);
    });
    this.watcher.on('error', (err) => {
      this.done = true;
      handlers.failed(
        TugboatError.expired(
          `too old resource version: ${this.delivered} (etcd ended the watch: ${err.message.trim()}; it was compacted or canceled): relist and watch again`,
        ),
      );
    });
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    this.watcher.cancel().catch(() => undefined);
  }

  private onData(res: IWatchResponse): void {
    if (this.done || res.created || res.canceled) return;
    if (res.events.length === 0) {
      const rv = Number(res.header.revision);
      if (rv > this.delivered) {
        this.delivered = rv;
        this.handlers.progressed(rv);
      }
      return;
    }
    for (const ev of res.events) {
      const rv = Number(ev.kv.mod_revision);
      if (rv <= this.delivered) continue;
      this.delivered = rv;
      this.listener(this.toChange(ev.type === 'Delete' ? 'DELETED' : 'PUT', ev.kv, ev.prev_kv, rv));
    }
  }

  private toChange(type: 'PUT' | 'DELETED', kv: IKeyValue, prev: IKeyValue | undefined, rv: number): Change {
    const key = kv.key.toString();
    if (!key.startsWith(this.base)) return { type: 'MODIFIED', rv, resource: '', namespace: undefined, object: OUT_OF_SCOPE };
    const resource = this.resource;
    const namespace = namespaceIn(this.base, key);
    const previous = prev && prev.value.length > 0 ? this.source.decode(prev.value, Number(prev.mod_revision)) : undefined;
    if (type === 'DELETED') {
      const object = prev ? this.source.decode(prev.value, rv) : stub(key, namespace, rv);
      return { type, rv, resource, namespace, object, previous };
    }
    const object = this.source.decode(kv.value, rv);
    return previous || kv.version !== '1'
      ? { type: 'MODIFIED', rv, resource, namespace, object, previous }
      : { type: 'ADDED', rv, resource, namespace, object };
  }
}

/** The last state of a deleted object whose previous value etcd no longer had: its name and namespace. */
function stub(key: string, namespace: string | undefined, rv: number): KubeObject {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return Object.freeze({
    apiVersion: '',
    kind: '',
    metadata: Object.freeze({ name, ...(namespace ? { namespace } : {}), resourceVersion: String(rv) }),
  }) as KubeObject;
}
