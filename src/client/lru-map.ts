/** A Map bounded to `capacity` entries that forgets the least recently used one (groupcache's lru.Cache). */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  /** The value of `key`, marked as used most recently; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** Sets `key` (most recently used), forgetting the oldest entry beyond the capacity. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  /** How many entries are kept. */
  get size(): number {
    return this.map.size;
  }
}
