/**
 * client-go's EventCorrelator (tools/record/events_cache.go), on an injected clock: each Event
 * goes through the aggregator (similar Events combined), the observation log (a repeat of an
 * Event already written becomes a patch of its count, lastTimestamp and message) and the spam
 * filter (a token bucket per source and object). The recorder writes what it returns.
 */
import type { Clock } from '../clock/types.js';
import type { Event } from '../model/types.js';
import { EventAggregator, type EventAggregatorOptions } from './event-aggregator.js';
import { EventSpamFilter, type EventSpamFilterOptions } from './event-spam-filter.js';
import { eventKey } from './event-keys.js';
import { LruMap } from './lru-map.js';

/** What to write for one recorded Event. */
export interface CorrelateResult {
  /** The Event to create, or (when `patch` is set) the stored Event it repeats, as it is to be. */
  event: Event;
  /** Set for a repeat: the merge patch of the stored Event named `event.metadata.name`. */
  patch?: { count: number; lastTimestamp: string | undefined; message: string | undefined };
  /** True when the spam filter drops the Event: write nothing. */
  skip: boolean;
}

/** Options of {@link EventCorrelator}. */
export interface EventCorrelatorOptions {
  aggregator?: EventAggregatorOptions;
  spamFilter?: EventSpamFilterOptions;
  /** Written Events remembered for their repeats. @default 4096 */
  cacheSize?: number;
}

interface Observation {
  count: number;
  firstTimestamp: string | undefined;
  name: string;
  resourceVersion: string | undefined;
}

/** The correlator (see the file comment). One per recorder; not shared between processes. */
export class EventCorrelator {
  private readonly aggregator: EventAggregator;
  private readonly spamFilter: EventSpamFilter;
  private readonly observed: LruMap<string, Observation>;

  constructor(clock: Clock, options: EventCorrelatorOptions = {}) {
    this.aggregator = new EventAggregator(clock, options.aggregator);
    this.spamFilter = new EventSpamFilter(clock, options.spamFilter);
    this.observed = new LruMap(options.cacheSize ?? 4096);
  }

  /** What to write for `event` (EventCorrelate: aggregate, observe, then filter). */
  correlate(event: Event): CorrelateResult {
    const { event: aggregated, key } = this.aggregator.aggregate(event);
    const last = this.observed.get(key);
    let out = aggregated;
    let patch: CorrelateResult['patch'];
    if (last && last.count > 0) {
      out = {
        ...aggregated,
        metadata: { ...aggregated.metadata, name: last.name, resourceVersion: last.resourceVersion },
        firstTimestamp: last.firstTimestamp,
        count: last.count + 1,
      };
      patch = { count: out.count!, lastTimestamp: out.lastTimestamp, message: out.message };
    }
    this.observed.set(key, {
      count: out.count ?? 1,
      firstTimestamp: out.firstTimestamp,
      name: out.metadata.name ?? '',
      resourceVersion: out.metadata.resourceVersion,
    });
    if (this.spamFilter.filter(out)) return { event: out, skip: true };
    return patch ? { event: out, patch, skip: false } : { event: out, skip: false };
  }

  /** Remembers the Event as the server stored it (its name, count and resourceVersion: UpdateState). */
  updateState(stored: Event): void {
    this.observed.set(eventKey(stored), {
      count: stored.count ?? 1,
      firstTimestamp: stored.firstTimestamp,
      name: stored.metadata.name ?? '',
      resourceVersion: stored.metadata.resourceVersion,
    });
  }
}
