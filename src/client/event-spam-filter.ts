/**
 * client-go's EventSourceObjectSpamFilter: each source may write `burst` Events about one object,
 * then one more per refill interval (a token bucket per source and object, kept for the 4,096
 * most recently seen pairs). Defaults: burst 25, one token every 5 minutes.
 */
import type { Clock } from '../clock/types.js';
import type { Event } from '../model/types.js';
import { spamKey } from './event-keys.js';
import { LruMap } from './lru-map.js';

/** A token bucket on a clock (golang.org/x/time/rate's Limiter, as flowcontrol's token bucket uses it): starts full. */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  /**
   * @param burst the bucket's size (and its tokens at the start).
   * @param perSecond tokens added per second of the clock's time.
   */
  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.lastMs = clock.nowMs();
  }

  /** Takes one token if there is one (TryAccept). */
  tryTake(): boolean {
    const now = this.clock.nowMs();
    if (now > this.lastMs) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastMs) / 1000) * this.perSecond);
      this.lastMs = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Options of {@link EventSpamFilter}. */
export interface EventSpamFilterOptions {
  /** Events a source may write about one object at once. @default 25 */
  burst?: number;
  /** Tokens refilled per second. @default 1/300 (one every 5 minutes) */
  perSecond?: number;
  /** Source/object pairs remembered. @default 4096 */
  cacheSize?: number;
}

/** The spam filter (see the file comment). */
export class EventSpamFilter {
  private readonly buckets: LruMap<string, TokenBucket>;
  private readonly burst: number;
  private readonly perSecond: number;

  constructor(
    private readonly clock: Clock,
    options: EventSpamFilterOptions = {},
  ) {
    this.buckets = new LruMap(options.cacheSize ?? 4096);
    this.burst = options.burst ?? 25;
    this.perSecond = options.perSecond ?? 1 / 300;
  }

  /** True when the Event is to be dropped: its source has no token left for its object. */
  filter(event: Event): boolean {
    const key = spamKey(event);
    let bucket = this.buckets.get(key);
    if (!bucket) bucket = new TokenBucket(this.burst, this.perSecond, this.clock);
    const skip = !bucket.tryTake();
    this.buckets.set(key, bucket);
    return skip;
  }
}
