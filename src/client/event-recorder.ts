/**
 * Recording Events as client-go's record package does: `record()` builds the Event and puts it on
 * a bounded queue without waiting (an Event past the bound is dropped, as the broadcaster's
 * ActionOrDrop drops it); one writer (the sink) takes them in order, runs each through the
 * {@link EventCorrelator} (repeats become count patches, similar ones are combined, spam is
 * dropped) and writes it. A write the server refuses is not retried; a write that fails otherwise
 * (the server unreachable) is retried up to 12 times, 10 s apart on the clock (the first delay
 * randomized). Nothing is thrown into the caller.
 */
import type { Event, KubeObject } from '../model/types.js';
import type { Clock } from '../clock/types.js';
import type { EventRecorder, ResourceClient } from './types.js';
import { rfc3339 } from '../clock/time-format.js';
import { TugboatError } from '../model/errors.js';
import { EventCorrelator, type CorrelateResult, type EventCorrelatorOptions } from './event-correlator.js';
import { silentLogger, type Logger } from './logger.js';

/** How to reach the Event clients. */
export type EventClientFor = (namespace: string) => ResourceClient<Event>;

/** Options of {@link ApiEventRecorder}. */
export interface ApiEventRecorderOptions {
  /** `source.component` of Events recorded without one. @default 'tugboat' */
  component?: string;
  /** Where dropped and refused Events are reported. @default silent */
  logger?: Logger;
  /** Events queued before new ones are dropped (client-go's maxQueuedEvents). @default 1000 */
  maxQueued?: number;
  /** Writes of one Event before it is given up (maxTriesPerEvent). @default 12 */
  maxTries?: number;
  /** Clock time between tries (the first one is randomized). @default 10_000 */
  retryDelayMs?: number;
  /** The correlator's windows and bounds. */
  correlator?: EventCorrelatorOptions;
}

/** Recorder of Events through the API (see the file comment). */
export class ApiEventRecorder implements EventRecorder {
  private readonly queue: Event[] = [];
  private readonly correlator: EventCorrelator;
  private readonly component: string;
  private readonly log: Logger;
  private readonly maxQueued: number;
  private readonly maxTries: number;
  private readonly retryDelayMs: number;
  private draining = false;
  /** True while the writer sleeps before a retry (waiting on the clock counts as idle). */
  private sleeping = false;
  private stopped = false;
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  private seq = 0;
  /** Events dropped because the queue was full. */
  dropped = 0;

  constructor(
    private readonly clientFor: EventClientFor,
    private readonly clock: Clock,
    options: ApiEventRecorderOptions = {},
  ) {
    this.correlator = new EventCorrelator(clock, options.correlator);
    this.component = options.component ?? 'tugboat';
    this.log = options.logger ?? silentLogger;
    this.maxQueued = options.maxQueued ?? 1000;
    this.maxTries = options.maxTries ?? 12;
    this.retryDelayMs = options.retryDelayMs ?? 10_000;
  }

  /** Queues an Event about `regarding` and returns at once; it is written in the background. */
  record(regarding: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component?: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.queue.length >= this.maxQueued) {
      this.dropped++;
      this.log.warn({ reason, object: regarding.metadata.name, dropped: this.dropped }, 'event queue full: event dropped');
      return Promise.resolve();
    }
    this.queue.push(this.makeEvent(regarding, type, reason, message, component ?? this.component));
    if (!this.draining) {
      this.draining = true;
      // Off the caller's turn: the writer starts once the current work has run.
      setImmediate(() => void this.drain());
    }
    return Promise.resolve();
  }

  /** True when no Event is queued or being written (a writer sleeping before a retry counts as idle). */
  isIdle(): boolean {
    return this.sleeping || !this.draining;
  }

  /** Resolves once every Event queued so far is written (or given up), or the writer sleeps before a retry. */
  flushed(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops writing: queued Events are dropped, a sleeping retry ends. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.abort.abort();
  }

  private makeEvent(regarding: KubeObject, type: string, reason: string, message: string, component: string): Event {
    const namespace = regarding.metadata.namespace || 'default';
    const nowMs = this.clock.nowMs();
    const now = rfc3339(this.clock.now());
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${regarding.metadata.name ?? 'object'}.${(nowMs * 1000 + (this.seq++ % 1000)).toString(16)}`, namespace },
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
      source: { component },
      reportingComponent: component,
    };
  }

  private async drain(): Promise<void> {
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        const result = this.correlator.correlate(event);
        if (!result.skip) await this.writeWithRetries(result);
      }
    } finally {
      this.draining = false;
      this.releaseWaiters();
    }
  }

  private async writeWithRetries(result: CorrelateResult): Promise<void> {
    for (let tries = 1; !this.stopped; tries++) {
      if (await this.write(result)) return;
      if (tries >= this.maxTries) {
        this.log.error(
          { reason: result.event.reason, object: result.event.involvedObject.name },
          'event not written: retry limit exceeded',
        );
        return;
      }
      const delay = tries === 1 ? Math.random() * this.retryDelayMs : this.retryDelayMs;
      this.sleeping = true;
      this.releaseWaiters();
      try {
        await this.clock.sleep(delay, this.abort.signal);
      } catch {
        return;
      } finally {
        this.sleeping = false;
      }
    }
  }

  /** One try (client-go's recordEvent); true when done with the Event (written, or refused by the server). */
  private async write({ event, patch }: CorrelateResult): Promise<boolean> {
    const namespace = event.metadata.namespace ?? 'default';
    const client = this.clientFor(namespace);
    try {
      let stored: Event | undefined;
      if (patch) {
        try {
          stored = await client.patch(event.metadata.name ?? '', patch, 'merge');
        } catch (err) {
          // The Event was removed meanwhile (or never written): create it again.
          if (!TugboatError.is(err, 'NotFound')) throw err;
        }
      }
      if (!stored) {
        const { resourceVersion: _rv, ...metadata } = event.metadata;
        stored = await client.create({ ...event, metadata });
      }
      this.correlator.updateState(stored);
      return true;
    } catch (err) {
      if (err instanceof TugboatError) {
        // The server refused it: retrying cannot help.
        const expected = err.reason === 'AlreadyExists' || /because it is being terminated/.test(err.message);
        this.log[expected ? 'debug' : 'warn'](
          { reason: event.reason, object: event.involvedObject.name, err: err.message },
          'event refused',
        );
        return true;
      }
      this.log.warn({ reason: event.reason, object: event.involvedObject.name, err: String(err) }, 'event not written: will retry');
      return false;
    }
  }

  private releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** An EventRecorder that records nothing (for benchmarks, or `Cluster.start({ events: false })`). */
export const noopEventRecorder: EventRecorder = {
  async record() {},
};
