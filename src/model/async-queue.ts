/**
 * The one push-to-pull queue of tugboat: values pushed in are handed out through an async
 * iterator, in order. Store watches and runtime event streams are built on it.
 */

/**
 * An async iterator that can also hand out, synchronously, the values it already holds: a
 * consumer that handles values synchronously drains a burst in one turn of the event loop
 * instead of one (or more) promise turns per value, so it keeps up with many concurrent writers.
 */
export interface BufferedIterator<T> extends AsyncIterator<T> {
  /**
   * Takes up to `max` of the values buffered now, in order (an empty array when none is,
   * or when the iterator has ended or failed: `next()` then reports it).
   */
  takeBuffered(max?: number): T[];
}

/** True when `it` offers {@link BufferedIterator.takeBuffered}. */
export function isBufferedIterator<T>(it: AsyncIterator<T>): it is BufferedIterator<T> {
  return typeof (it as Partial<BufferedIterator<T>>).takeBuffered === 'function';
}

/**
 * AsyncQueue buffers pushed values until the consumer reads them (the buffer is unbounded: a
 * consumer that never reads keeps every value, but never slows the producer). It ends in one of
 * three ways, each running the `onClose` functions once:
 * - {@link AsyncQueue.end}: after the values already buffered (also when `signal` aborts);
 * - {@link AsyncQueue.fail}: after the values already buffered, `next()` rejects once with the error;
 * - {@link AsyncQueue.abort}: at once, buffered values dropped, then `next()` rejects once with the error;
 * - {@link AsyncQueue.close} (or the consumer's `return()`, a `break` out of for-await): at once,
 *   buffered values dropped.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T>, BufferedIterator<T> {
  private queue: T[] = [];
  private head = 0;
  /** Pending `next()` calls, oldest first (there are some only while the buffer is empty). */
  private waiters: Array<{ resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void }> = [];
  private finished = false;
  private failure: { error: unknown } | undefined;
  private closers: Array<() => void> = [];
  private readonly onAbort = (): void => this.end();

  /** @param signal ends the queue (as {@link AsyncQueue.end}) when it aborts. */
  constructor(private readonly signal?: AbortSignal) {
    if (signal?.aborted) this.finished = true;
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Registers a function to run once when the queue ends (e.g. to detach a listener). */
  onClose(fn: () => void): this {
    if (this.finished) fn();
    else this.closers.push(fn);
    return this;
  }

  /** True once the queue has ended (values may still be buffered). */
  get ended(): boolean {
    return this.finished;
  }

  /** The number of values buffered. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** Hands a value to the consumer (dropped once ended). */
  push(value: T): void {
    if (this.finished) return;
    const w = this.waiters.shift();
    if (w) w.resolve({ done: false, value });
    else this.queue.push(value);
  }

  /** Ends the stream after the values already buffered. */
  end(): void {
    this.finish();
  }

  /** Ends the stream after the values already buffered; then `next()` rejects once with `error`. */
  fail(error: unknown): void {
    if (this.finished) return;
    this.failure = { error };
    this.finish();
  }

  /** Ends the stream now, dropping the buffered values; then `next()` rejects once with `error`. */
  abort(error: unknown): void {
    if (this.finished) return;
    this.queue = [];
    this.head = 0;
    this.failure = { error };
    this.finish();
  }

  /** Ends the stream now: buffered values are dropped, a pending `next()` resolves done. */
  close(): void {
    this.queue = [];
    this.head = 0;
    this.failure = undefined;
    this.finish();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  takeBuffered(max = Infinity): T[] {
    const available = this.queue.length - this.head;
    if (available <= 0) return [];
    const n = Math.min(available, max);
    const out = this.head === 0 && n === this.queue.length ? this.queue : this.queue.slice(this.head, this.head + n);
    if (out === this.queue) {
      this.queue = [];
      this.head = 0;
    } else {
      this.head += n;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
    }
    return out;
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  private finish(): void {
    if (!this.finished) {
      this.finished = true;
      this.signal?.removeEventListener('abort', this.onAbort);
      for (const fn of this.closers.splice(0)) fn();
    }
    // Waiters exist only while the buffer is empty: the first gets the failure, if any.
    for (const w of this.waiters.splice(0)) {
      if (this.failure) {
        const { error } = this.failure;
        this.failure = undefined;
        w.reject(error);
      } else w.resolve({ done: true, value: undefined });
    }
  }
}
