/**
 * The fan-out of committed changes to watchers, and the bounded history that lets a watch
 * resume from a recent resourceVersion.
 */
import { TugboatError } from '../model/errors.js';
import type { Change } from './watch-filter.js';

/** Receives every committed change, synchronously, in resourceVersion order. */
export type ChangeListener = (change: Change) => void;

/**
 * WatchHub keeps the last `capacity` changes in a ring buffer and calls its listeners on every
 * publish. Listeners must be quick (each watcher only appends to its own queue), so a slow
 * consumer never blocks writers or other watchers.
 */
export class WatchHub {
  private readonly ring: Change[];
  private head = 0;
  private length = 0;
  private readonly listeners = new Set<ChangeListener>();
  /** Every change with a resourceVersion above this one is in the ring. */
  private keptAfter: number;

  /**
   * @param capacity how many changes to keep for resuming watches
   * @param startRv the resourceVersion the store starts at (changes after it are kept)
   */
  constructor(
    private readonly capacity: number,
    startRv: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw TugboatError.badRequest(`historySize must be a positive integer, got ${capacity}`);
    }
    this.ring = new Array<Change>(capacity);
    this.keptAfter = startRv;
  }

  /** Records a change and hands it to every listener. */
  publish(change: Change): void {
    if (this.length === this.capacity) {
      this.keptAfter = this.ring[this.head].rv;
      this.head = (this.head + 1) % this.capacity;
      this.length--;
    }
    this.ring[(this.head + this.length) % this.capacity] = change;
    this.length++;
    for (const listener of this.listeners) listener(change);
  }

  /**
   * The kept changes after `rv`, oldest first. Throws Expired (410) when changes after `rv`
   * have already left the history.
   */
  since(rv: number): Change[] {
    if (rv < this.keptAfter) {
      throw TugboatError.expired(`too old resource version: ${rv} (${this.keptAfter + 1})`);
    }
    const out: Change[] = [];
    for (let i = 0; i < this.length; i++) {
      const change = this.ring[(this.head + i) % this.capacity];
      if (change.rv > rv) out.push(change);
    }
    return out;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** How many listeners are attached (one per open watch). */
  get listenerCount(): number {
    return this.listeners.size;
  }
}
