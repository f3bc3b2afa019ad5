/**
 * client-go's EventAggregator: when one source reports 10 Events about one object with the same
 * type and reason but different messages within 10 minutes (each one restarting the window), the
 * 10th and later become one Event "(combined from similar events): <latest message>", correlated
 * under the group's key so later ones bump its count instead of making new objects.
 */
import type { Clock } from '../clock/types.js';
import type { Event } from '../model/types.js';
import { rfc3339 } from '../clock/time-format.js';
import { aggregateKey, eventKey } from './event-keys.js';
import { LruMap } from './lru-map.js';

/** The message of a combined Event (EventAggregatorByReasonMessageFunc). */
export const COMBINED_PREFIX = '(combined from similar events): ';

/** Options of {@link EventAggregator}. */
export interface EventAggregatorOptions {
  /** Distinct messages in the window that make the group combined. @default 10 */
  maxEvents?: number;
  /** How long since the group's last Event before it counts as new. @default 600_000 */
  intervalMs?: number;
  /** Groups remembered. @default 4096 */
  cacheSize?: number;
}

interface Group {
  messages: Set<string>;
  lastMs: number;
}

/** The Event to write and the key its repeats are correlated by. */
export interface AggregateResult {
  event: Event;
  key: string;
}

/** The aggregator (see the file comment). */
export class EventAggregator {
  private readonly groups: LruMap<string, Group>;
  private readonly maxEvents: number;
  private readonly intervalMs: number;
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    options: EventAggregatorOptions = {},
  ) {
    this.groups = new LruMap(options.cacheSize ?? 4096);
    this.maxEvents = options.maxEvents ?? 10;
    this.intervalMs = options.intervalMs ?? 600_000;
  }

  /** The Event as it is to be written: itself (keyed by {@link eventKey}), or its group's combined Event. */
  aggregate(event: Event): AggregateResult {
    const nowMs = this.clock.nowMs();
    const groupKey = aggregateKey(event);
    let group = this.groups.get(groupKey);
    if (!group || nowMs - group.lastMs > this.intervalMs) group = { messages: new Set(), lastMs: 0 };
    group.messages.add(event.message ?? '');
    group.lastMs = nowMs;
    this.groups.set(groupKey, group);
    if (group.messages.size < this.maxEvents) return { event, key: eventKey(event) };
    // Keep the set below the threshold (client-go pops any one).
    group.messages.delete(group.messages.values().next().value as string);
    const now = rfc3339(this.clock.now());
    const name = `${event.involvedObject.name ?? 'object'}.${(nowMs * 1000 + (this.seq++ % 1000)).toString(16)}`;
    const combined: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: event.metadata.namespace },
      involvedObject: event.involvedObject,
      type: event.type,
      reason: event.reason,
      message: COMBINED_PREFIX + (event.message ?? ''),
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: event.source,
    };
    return { event: combined, key: groupKey };
  }
}
