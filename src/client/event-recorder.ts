import type { Event, KubeObject } from '../model/types.js';
import type { Clock } from '../clock/types.js';
import type { EventRecorder } from './types.js';
import type { ResourceClient } from './types.js';
import { rfc3339 } from '../clock/time-format.js';

/** How to reach the Event clients. */
export type EventClientFor = (namespace: string) => ResourceClient<Event>;

interface Seen {
  namespace: string;
  name: string;
  count: number;
}

const MAX_REMEMBERED = 4096;

/**
 * Records Kubernetes Events (core/v1) about objects. A repeat of the same event (same object,
 * type, reason and message) bumps `count` and `lastTimestamp` of the existing Event, as
 * client-go's recorder does. Recording never throws: a failure is dropped.
 */
export class ApiEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private seq = 0;

  constructor(
    private readonly clientFor: EventClientFor,
    private readonly clock: Clock,
    private readonly defaultComponent = 'tugboat',
  ) {}

  async record(regarding: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component?: string): Promise<void> {
    const namespace = regarding.metadata.namespace || 'default';
    const uid = regarding.metadata.uid ?? '';
    const key = [namespace, regarding.kind, regarding.metadata.name, uid, type, reason, message].join('\u0000');
    const now = rfc3339(this.clock.now());
    try {
      const known = this.seen.get(key);
      if (known) {
        known.count += 1;
        await this.clientFor(known.namespace).patch(known.name, { count: known.count, lastTimestamp: now }, 'merge');
        return;
      }
      const name = `${regarding.metadata.name ?? 'object'}.${(this.clock.nowMs() * 1000 + (this.seq++ % 1000)).toString(16)}`;
      const event: Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: regarding.apiVersion,
          kind: regarding.kind,
          name: regarding.metadata.name,
          namespace: regarding.metadata.namespace,
          uid: regarding.metadata.uid,
          resourceVersion: regarding.metadata.resourceVersion,
        },
        type,
        reason,
        message,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: component ?? this.defaultComponent },
        reportingComponent: component ?? this.defaultComponent,
      };
      await this.clientFor(namespace).create(event);
      if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
      this.seen.set(key, { namespace, name, count: 1 });
    } catch {
      this.seen.delete(key);
    }
  }
}

/** An EventRecorder that records nothing (for benchmarks, or `Cluster.start({ events: false })`). */
export const noopEventRecorder: EventRecorder = {
  async record() {},
};
