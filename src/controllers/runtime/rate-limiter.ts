/**
 * client-go's default controller rate limiter: the larger of a per-item exponential back-off
 * and an overall token bucket.
 */
import type { Clock } from '../../clock/types.js';

/** Options of {@link RateLimiter}. Defaults are client-go's `DefaultControllerRateLimiter`. */
export interface RateLimiterOptions {
  /** First per-item delay. @default 5 */
  baseDelayMs?: number;
  /** Cap of the per-item delay. @default 1_000_000 (1000 s) */
  maxDelayMs?: number;
  /** Overall requeues per second; `Infinity` disables the bucket. @default 10 */
  qps?: number;
  /** Bucket size. @default 100 */
  burst?: number;
}

/** Decides how long a failed item waits before it is retried. */
export class RateLimiter<K = string> {
  private readonly failures = new Map<K, number>();
  private readonly base: number;
  private readonly max: number;
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    options: RateLimiterOptions = {},
  ) {
    this.base = options.baseDelayMs ?? 5;
    this.max = options.maxDelayMs ?? 1_000_000;
    this.qps = options.qps ?? 10;
    this.burst = options.burst ?? 100;
    this.tokens = this.burst;
    this.last = clock.nowMs();
  }

  /** The delay of the next retry of `item`; counts one more failure. */
  when(item: K): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    const exp = Math.min(this.max, this.base * 2 ** Math.min(n, 60));
    return Math.max(exp, this.reserve());
  }

  /** How many times `item` failed since it was last forgotten. */
  numRequeues(item: K): number {
    return this.failures.get(item) ?? 0;
  }

  /** Clears the failure count of `item` (call after a success). */
  forget(item: K): void {
    this.failures.delete(item);
  }

  /** Takes one token; returns how long the caller must wait for it. */
  private reserve(): number {
    if (!Number.isFinite(this.qps)) return 0;
    const now = this.clock.nowMs();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }
}
