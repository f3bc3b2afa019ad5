/**
 * A push-to-pull bridge for runtime event streams: values pushed in are handed out through an
 * async iterator. Used by the in-process runtimes' `events()` (through `eventsOf`).
 */

/**
 * EventQueue buffers pushed values until the consumer reads them. It is subscribed from the
 * moment it is made (so nothing pushed after `events()` returns is lost), and ends on `end()`,
 * when the signal aborts, or when the consumer stops iterating (then `onClose` runs once).
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private queue: T[] = [];
  private head = 0;
  private waiter: ((result: IteratorResult<T>) => void) | undefined;
  private finished = false;
  private closers: Array<() => void> = [];
  private readonly onAbort = (): void => this.end();

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

  /** True once the queue has ended. */
  get ended(): boolean {
    return this.finished;
  }

  /** Hands a value to the consumer (dropped once ended). */
  push(value: T): void {
    if (this.finished) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ done: false, value });
    } else this.queue.push(value);
  }

  /** Ends the stream after the values already buffered. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    for (const fn of this.closers.splice(0)) fn();
    if (this.waiter && this.head >= this.queue.length) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ done: true, value: undefined });
    }
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++];
      if (this.head > 256 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.queue = [];
    this.head = 0;
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }
}

/** An emitter of `'event'`s, as eventemitter3's and node:events' EventEmitter. */
export interface EventSource<T> {
  on(name: 'event', listener: (event: T) => void): unknown;
  off(name: 'event', listener: (event: T) => void): unknown;
}

/**
 * The `'event'`s `emitter` emits from now on, as an EventQueue that detaches its listener when it
 * ends (signal aborted or consumer stopped). The body of an in-process runtime's `events()`.
 */
export function eventsOf<T>(emitter: EventSource<T>, signal?: AbortSignal): EventQueue<T> {
  const queue = new EventQueue<T>(signal);
  const listener = (event: T): void => queue.push(event);
  emitter.on('event', listener);
  return queue.onClose(() => emitter.off('event', listener));
}
