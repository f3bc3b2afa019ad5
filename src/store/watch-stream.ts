/**
 * One watcher: its own queue of events, consumed as an async iterator.
 */
import type { WatchEvent } from '../model/types.js';
import type { Clock, Timer } from '../clock/types.js';
import type { Change, WatchFilter } from './watch-filter.js';
import { toWatchEvent } from './watch-filter.js';

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
  signal?: AbortSignal;
  bookmarkIntervalMs?: number;
  clock: Clock;
  /** Attaches the stream to live changes; returns the detach function. */
  subscribe(listener: (change: Change) => void): () => void;
}

/**
 * WatchStream buffers the events of one watch and hands them out through `next()`.
 * The buffer is unbounded: a consumer that never reads keeps every event in memory, but
 * never slows down writers or other watchers. It ends (and detaches from the store) on
 * `return()` (a `break` out of for-await), when the signal aborts, or on `end()`.
 */
export class WatchStream implements AsyncIterableIterator<WatchEvent> {
  private queue: WatchEvent[] = [];
  private head = 0;
  private waiter: ((result: IteratorResult<WatchEvent>) => void) | undefined;
  private failure: Error | undefined;
  private finished = false;
  private progress: number;
  private detach: (() => void) | undefined;
  private timer: Timer | undefined;
  private readonly onAbort = (): void => this.end();

  constructor(private readonly options: WatchStreamOptions) {
    this.progress = options.after;
    if (options.error) {
      this.failure = options.error;
      return;
    }
    if (options.signal?.aborted) {
      this.finished = true;
      return;
    }
    for (const event of options.initial ?? []) this.enqueue(event);
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
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      this.end();
      return Promise.reject(failure);
    }
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<WatchEvent>> {
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  /** Ends the watch: drops buffered events, detaches from the store, wakes a pending `next()`. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = undefined;
    this.queue = [];
    this.head = 0;
    this.detach?.();
    this.detach = undefined;
    this.timer?.cancel();
    this.timer = undefined;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ done: true, value: undefined });
  }

  private accept(change: Change): void {
    if (this.finished || change.rv <= this.options.after) return;
    this.progress = change.rv;
    const event = toWatchEvent(change, this.options.filter);
    if (event) this.enqueue(event);
  }

  private enqueue(event: WatchEvent): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter({ done: false, value: event });
    } else {
      this.queue.push(event);
    }
  }

  private scheduleBookmark(): void {
    const interval = this.options.bookmarkIntervalMs;
    if (interval === undefined || interval <= 0 || this.finished) return;
    this.timer = this.options.clock.setTimeout(() => {
      if (this.finished) return;
      this.enqueue(bookmark(this.progress));
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
