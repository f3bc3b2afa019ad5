/**
 * A deduplicating, rate-limited, delaying work queue with client-go's semantics.
 */
import type { Clock, Timer } from '../../clock/types.js';
import { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';

/** Options of {@link WorkQueue}. */
export interface WorkQueueOptions<T> extends RateLimiterOptions {
  /** The identity of an item (items with equal keys are one item). @default String(item) */
  keyOf?: (item: T) => string;
}

/**
 * WorkQueue holds the items a controller must process.
 * - An item added several times before it is taken is processed once.
 * - An item is never handed out twice at once: re-added while being processed, it is handed
 *   out again after `done`.
 * - `addRateLimited` retries with per-item exponential back-off and an overall bucket;
 *   `addAfter` adds after a delay on the clock; `forget` resets an item's back-off.
 */
export class WorkQueue<T = string> {
  /** Keys ready to be taken, from `head` on (a shift per take would copy the array). */
  private queue: string[] = [];
  private head = 0;
  private readonly items = new Map<string, T>();
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiting = new Map<string, { at: number; timer: Timer }>();
  private readonly getters: ((item: T | undefined) => void)[] = [];
  private readonly readyWaiters: (() => void)[] = [];
  private readonly limiter: RateLimiter<string>;
  private readonly keyOf: (item: T) => string;
  private shuttingDown = false;

  constructor(
    private readonly clock: Clock,
    options: WorkQueueOptions<T> = {},
  ) {
    this.limiter = new RateLimiter<string>(clock, options);
    this.keyOf = options.keyOf ?? ((item) => String(item));
  }

  /** Marks `item` as needing processing. */
  add(item: T): void {
    if (this.shuttingDown) return;
    const key = this.keyOf(item);
    this.items.set(key, item);
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** Adds `item` after `ms` on the clock (at once when `ms <= 0`); the earliest pending delay wins. */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown) return;
    if (!(ms > 0)) {
      this.add(item);
      return;
    }
    const key = this.keyOf(item);
    const at = this.clock.nowMs() + ms;
    const prev = this.waiting.get(key);
    if (prev && prev.at <= at) return;
    prev?.timer.cancel();
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(key);
      this.add(item);
    }, ms);
    this.waiting.set(key, { at, timer });
  }

  /** Adds `item` after its rate-limited back-off. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.limiter.when(this.keyOf(item)));
  }

  /** Resets the back-off of `item`. */
  forget(item: T): void {
    this.limiter.forget(this.keyOf(item));
  }

  /** How many times `item` was rate-limited since it was last forgotten. */
  numRequeues(item: T): number {
    return this.limiter.numRequeues(this.keyOf(item));
  }

  /** The next item (now marked processing); undefined once the queue is shut down. */
  get(): Promise<T | undefined> {
    if (this.len() > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /**
   * Resolves once an item is ready to be taken (at once if one is) or the queue is shut down,
   * without taking it: a consumer can let more adds arrive (and coalesce) before taking.
   */
  whenReady(): Promise<void> {
    if (this.len() > 0 || this.shuttingDown) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** The next item if one is ready now, without waiting. */
  tryGet(): T | undefined {
    return this.len() > 0 ? this.take() : undefined;
  }

  /** Ends the processing of `item`; if it was re-added meanwhile it is queued again. */
  done(item: T): void {
    const key = this.keyOf(item);
    this.processing.delete(key);
    if (this.dirty.has(key)) this.push(key);
    else if (!this.waiting.has(key)) this.items.delete(key);
  }

  /** Items ready to be taken. */
  len(): number {
    return this.queue.length - this.head;
  }

  /** Items being processed. */
  processingCount(): number {
    return this.processing.size;
  }

  /** Items waiting for a delay. */
  delayedCount(): number {
    return this.waiting.size;
  }

  /** Stops the queue: pending getters get undefined, delayed adds are dropped. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const w of this.waiting.values()) w.timer.cancel();
    this.waiting.clear();
    for (const g of this.getters.splice(0)) g(undefined);
    for (const w of this.readyWaiters.splice(0)) w();
  }

  /** True once {@link shutDown} was called. */
  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  private push(key: string): void {
    const getter = this.getters.shift();
    if (getter) {
      this.queue.push(key);
      getter(this.take());
    } else {
      this.queue.push(key);
      for (const w of this.readyWaiters.splice(0)) w();
    }
  }

  private take(): T {
    const key = this.queue[this.head++];
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.processing.add(key);
    this.dirty.delete(key);
    return this.items.get(key) as T;
  }
}
