/**
 * The back-off between deletions of failed daemon pods on one node (Kubernetes'
 * failedPodsBackoff: 1 s doubling to 15 min), so a DaemonSet does not hot-loop against a node
 * that keeps failing its pod. Kept in memory, keyed by DaemonSet uid, generation and node.
 */

/** Kubernetes' initial back-off: 1 s. */
export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
/** Kubernetes' maximum back-off: 15 min. */
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

interface Entry {
  delayMs: number;
  lastMs: number;
}

/** Per-key exponential back-off (client-go's flowcontrol.Backoff). */
export class FailedPodBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = FAILED_POD_BACKOFF_INITIAL_MS,
    private readonly maxMs = FAILED_POD_BACKOFF_MAX_MS,
  ) {}

  /** Milliseconds left of the back-off of `key` at `nowMs` (0 when not backing off). */
  remainingMs(key: string, nowMs: number): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.lastMs + e.delayMs - nowMs);
  }

  /** Records a deletion at `nowMs`: the delay doubles (or starts over once an entry is old). */
  next(key: string, nowMs: number): void {
    const e = this.entries.get(key);
    if (!e || nowMs - e.lastMs > 2 * this.maxMs) this.entries.set(key, { delayMs: this.initialMs, lastMs: nowMs });
    else this.entries.set(key, { delayMs: Math.min(2 * e.delayMs, this.maxMs), lastMs: nowMs });
  }

  /** Forgets every key starting with `prefix` (a deleted DaemonSet). */
  forget(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
