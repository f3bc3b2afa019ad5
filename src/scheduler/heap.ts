/**
 * A binary heap keyed by string, with O(log n) push, pop, update and delete by key.
 */

/** An item in the heap with its key and current position (moved by swaps without a map write). */
interface Slot<T> {
  item: T;
  readonly key: string;
  at: number;
}

/** A keyed min-heap ordered by `less`. */
export class KeyedHeap<T> {
  private readonly slots: Slot<T>[] = [];
  private readonly byKey = new Map<string, Slot<T>>();

  constructor(
    private readonly keyOf: (item: T) => string,
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.slots.length;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): T | undefined {
    return this.byKey.get(key)?.item;
  }

  /** Adds the item, or replaces the item with the same key and restores order. */
  push(item: T): void {
    const key = this.keyOf(item);
    const slot = this.byKey.get(key);
    if (slot !== undefined) {
      slot.item = item;
      this.fix(slot.at);
      return;
    }
    const added: Slot<T> = { item, key, at: this.slots.length };
    this.slots.push(added);
    this.byKey.set(key, added);
    this.up(added.at);
  }

  peek(): T | undefined {
    return this.slots[0]?.item;
  }

  pop(): T | undefined {
    if (this.slots.length === 0) return undefined;
    const top = this.slots[0].item;
    this.removeAt(0);
    return top;
  }

  delete(key: string): T | undefined {
    const slot = this.byKey.get(key);
    if (slot === undefined) return undefined;
    this.removeAt(slot.at);
    return slot.item;
  }

  /** The items in heap order (not sorted). */
  values(): T[] {
    return this.slots.map((s) => s.item);
  }

  private removeAt(i: number): void {
    const slots = this.slots;
    const last = slots.length - 1;
    this.byKey.delete(slots[i].key);
    if (i !== last) {
      slots[i] = slots[last];
      slots[i].at = i;
    }
    slots.pop();
    if (i < slots.length) this.fix(i);
  }

  private fix(i: number): void {
    if (!this.up(i)) this.down(i);
  }

  private swap(i: number, j: number): void {
    const slots = this.slots;
    const a = slots[i];
    const b = slots[j];
    slots[i] = b;
    b.at = i;
    slots[j] = a;
    a.at = j;
  }

  private up(i: number): boolean {
    let moved = false;
    const slots = this.slots;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(slots[i].item, slots[parent].item)) break;
      this.swap(i, parent);
      i = parent;
      moved = true;
    }
    return moved;
  }

  private down(i: number): void {
    const slots = this.slots;
    const n = slots.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(slots[l].item, slots[m].item)) m = l;
      if (r < n && this.less(slots[r].item, slots[m].item)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
