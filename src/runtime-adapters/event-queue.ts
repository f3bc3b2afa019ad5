/**
 * The body of an in-process runtime's `events()`: an emitter's events as an async iterator,
 * on model/async-queue's AsyncQueue (the one push-to-pull queue, shared with store watches).
 */
import { AsyncQueue } from '../model/async-queue.js';

/** An emitter of `'event'`s, as eventemitter3's and node:events' EventEmitter. */
export interface EventSource<T> {
  on(name: 'event', listener: (event: T) => void): unknown;
  off(name: 'event', listener: (event: T) => void): unknown;
}

/**
 * The `'event'`s `emitter` emits from now on (nothing emitted after the call is lost), as an
 * AsyncQueue that detaches its listener when it ends: signal aborted (after the events already
 * buffered) or consumer stopped iterating.
 */
export function eventsOf<T>(emitter: EventSource<T>, signal?: AbortSignal): AsyncQueue<T> {
  const queue = new AsyncQueue<T>(signal);
  const listener = (event: T): void => queue.push(event);
  emitter.on('event', listener);
  return queue.onClose(() => emitter.off('event', listener));
}
