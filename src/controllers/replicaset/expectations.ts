/**
 * Kubernetes' controller expectations: after a ReplicaSet creates or deletes pods, it does not
 * act again until the watch has shown those changes (or a TTL passed), so a lagging watch
 * cannot make it create too many pods.
 */

/** Kubernetes' ExpectationsTimeout: 5 minutes. */
export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Entry {
  adds: number;
  deletes: Set<string>;
  at: number;
}

/**
 * Expectations per controller key: a count of pending creations and the names of pending
 * deletions, with the time they were set.
 */
export class Expectations {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs = EXPECTATIONS_TTL_MS) {}

  /** Expects `count` more creations (set before creating). */
  expectCreations(key: string, count: number, nowMs: number): void {
    const e = this.entry(key, nowMs);
    e.adds += count;
  }

  /** Lowers the expected creations (a create failed, or was skipped). */
  lowerCreations(key: string, count: number): void {
    const e = this.entries.get(key);
    if (e) e.adds = Math.max(0, e.adds - count);
  }

  /** Expects the deletion of these pod names (set before deleting). */
  expectDeletions(key: string, names: readonly string[], nowMs: number): void {
    const e = this.entry(key, nowMs);
    for (const n of names) e.deletes.add(n);
  }

  /** A creation was observed (a watch ADDED a pod the key controls). */
  creationObserved(key: string): void {
    const e = this.entries.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  /** A deletion was observed (or a delete failed and will not happen). */
  deletionObserved(key: string, name: string): void {
    this.entries.get(key)?.deletes.delete(name);
  }

  /** True when nothing is pending for `key`, or what is pending is older than the TTL. */
  satisfied(key: string, nowMs: number): boolean {
    const e = this.entries.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return nowMs - e.at > this.ttlMs;
  }

  /** Pending counts, for logs and tests. */
  pending(key: string): { adds: number; deletes: number } {
    const e = this.entries.get(key);
    return { adds: e?.adds ?? 0, deletes: e?.deletes.size ?? 0 };
  }

  /** Forgets `key` (its owner is gone). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  private entry(key: string, nowMs: number): Entry {
    let e = this.entries.get(key);
    if (!e || (e.adds <= 0 && e.deletes.size === 0) || nowMs - e.at > this.ttlMs) {
      e = { adds: 0, deletes: new Set(), at: nowMs };
      this.entries.set(key, e);
    }
    e.at = nowMs;
    return e;
  }
}
