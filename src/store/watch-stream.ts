/**
 * One watcher: its own queue of events, consumed as an async iterator.
 */
import type { WatchEvent } from '../model/types.js';
import type { Clock, Timer } from '../clock/types.js';
import type { Change, WatchFilter } from './watch-filter.js';
import { toWatchEvent } from './watch-filter.js';
import { AsyncQueue, type BufferedIterator } from '../model/async-queue.js';
import { TugboatError } from '../model/errors.js';

/** What a {@link WatchStream} needs from its store. */
export interface WatchStreamOptions {
  filter: WatchFilter;
  /** Changes at or below this resourceVersion are not delivered (they are in `initial` or were asked to be skipped). */
  after: number;
  /** Events delivered first (synthetic ADDED for a watch without resourceVersion). */
  initial?: WatchEvent[];
  /** Changes replayed from history before live ones. */
  replay?: Change[];
  /** When set, the stream fails with it on the first `next()`. */
  error?: Error;
  /**
   * The most events the stream holds unread beyond `initial` for a watcher that is not reading
   * (no `next()` in the last {@link STALLED_MS} on the store's clock, or never). One more ends it
   * with Expired (its queue dropped), so it relists instead of holding every event, as the API
   * server ends an unresponsive watcher. A watcher that is reading, only slower than a burst of
   * writes, may fall {@link SLOW_READER_FACTOR} times as far behind before it is ended.
   * @default unbounded
   */
  maxQueued?: number;
  signal?: AbortSignal;
  bookmarkIntervalMs?: number;
  clock: Clock;
  /** Attaches the stream to live changes; returns the detach function. */
  subscribe(listener: (change: Change) => void): () => void;
}

/**
 * WatchStream buffers the events of one watch (in an AsyncQueue) and hands them out through `next()`.
 * The buffer holds at most `maxQueued` events (beyond the initial ones): a consumer that falls
 * further behind is detached and ended with Expired, and relists; it never slows down writers or
 * other watchers. It ends (and detaches from the store) on `return()` (a `break` out of
 * for-await), when the signal aborts, or on `end()`.
 */
/** How long after its last `next()` a watcher still counts as reading (store clock, ms). */
export const STALLED_MS = 1_000;
/** How many times `maxQueued` a watcher that is reading may fall behind. */
export const SLOW_READER_FACTOR = 10;

export class WatchStream implements AsyncIterableIterator<WatchEvent>, BufferedIterator<WatchEvent> {
  private readonly queue = new AsyncQueue<WatchEvent>();
  private progress: number;
  private detach: (() => void) | undefined;
  private timer: Timer | undefined;
  private readonly onAbort = (): void => this.end();
  private limit = Infinity;
  /** When the consumer last asked for an event (store clock, ms); undefined until it first does. */
  private lastRead: number | undefined;

  constructor(private readonly options: WatchStreamOptions) {
    this.progress = options.after;
    if (options.error) {
      this.queue.fail(options.error);
      return;
    }
    if (options.signal?.aborted) {
      this.queue.close();
      return;
    }
    this.queue.onClose(() => {
      this.detach?.();
      this.detach = undefined;
      this.timer?.cancel();
      this.timer = undefined;
      options.signal?.removeEventListener('abort', this.onAbort);
    });
    for (const event of options.initial ?? []) this.queue.push(event);
    if (options.maxQueued !== undefined) this.limit = options.maxQueued + (options.initial?.length ?? 0);
    for (const change of options.replay ?? []) this.accept(change);
    this.detach = options.subscribe((change) => this.accept(change));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.scheduleBookmark();
  }

  /** True while the stream follows live changes. */
  get attached(): boolean {
    return this.detach !== undefined;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<WatchEvent> {
    return this;
  }

  next(): Promise<IteratorResult<WatchEvent>> {
    this.lastRead = this.options.clock.now().getTime();
    return this.queue.next();
  }

  /** Takes the events buffered now, without waiting (a reader draining a burst in one turn). */
  takeBuffered(max?: number): WatchEvent[] {
    this.lastRead = this.options.clock.now().getTime();
    return this.queue.takeBuffered(max);
  }

  return(): Promise<IteratorResult<WatchEvent>> {
    return this.queue.return();
  }

  /** Ends the watch: drops buffered events, detaches from the store, wakes a pending `next()`. */
  end(): void {
    this.queue.close();
  }

  /** Ends the watch with `error` (e.g. Expired when the store's history is gone): the events already buffered are delivered first, then `next()` throws it. */
  fail(error: Error): void {
    if (!this.queue.ended) this.queue.fail(error);
  }

  /**
   * Records that the store has delivered every change up to `rv` (a progress notification), so
   * the next BOOKMARK carries it even when no change reached this watch.
   */
  progressed(rv: number): void {
    if (rv > this.progress) this.progress = rv;
  }

  private accept(change: Change): void {
    if (this.queue.ended || change.rv <= this.options.after) return;
    this.progress = change.rv;
    const event = toWatchEvent(change, this.options.filter);
    if (event) this.push(event);
  }

  /** Queues an event, or ends a watcher that has fallen too far behind (see `maxQueued`). */
  private push(event: WatchEvent): void {
    const size = this.queue.size;
    if (size < this.limit) return this.queue.push(event);
    const reading = this.lastRead !== undefined && this.options.clock.now().getTime() - this.lastRead < STALLED_MS;
    if (reading && size < this.limit * SLOW_READER_FACTOR) return this.queue.push(event);
    const unread = size;
    this.queue.abort(
      TugboatError.expired(
        `the watcher fell too far behind (${unread} events unread, the limit is ${this.options.maxQueued}) and was closed: relist and watch again`,
      ),
    );
  }

  private scheduleBookmark(): void {
    const interval = this.options.bookmarkIntervalMs;
    if (interval === undefined || interval <= 0 || this.queue.ended) return;
    this.timer = this.options.clock.setTimeout(() => {
      if (this.queue.ended) return;
      this.push(bookmark(this.progress));
      this.scheduleBookmark();
    }, interval);
  }
}

/** A BOOKMARK event: only metadata.resourceVersion is meaningful. */
function bookmark(rv: number): WatchEvent {
  return {
    type: 'BOOKMARK',
    object: Object.freeze({ apiVersion: '', kind: '', metadata: Object.freeze({ resourceVersion: String(rv) }) }),
  };
}
