/**
 * The scheduling queue, as kube-scheduler's PriorityQueue: activeQ (highest priority first,
 * then longest waiting), backoffQ (per-pod exponential back-off), and unschedulable pods parked
 * until a cluster event or the periodic flush moves them back.
 */
import type { Pod } from '../model/types.js';
import type { Clock } from '../clock/types.js';
import { KeyedHeap } from './heap.js';
import { podKey, podPriority } from './pod-info.js';

/** A pod in the queue with its scheduling history. */
export interface QueuedPodInfo {
  pod: Pod;
  readonly key: string;
  priority: number;
  /** When it last entered a queue (ms). */
  timestamp: number;
  /** Failed attempts so far. */
  attempts: number;
  /** When it became unschedulable (ms), for the periodic flush. */
  unschedulableSince?: number;
  /** The cycle it was popped in. */
  cycle: number;
  seq: number;
}

/** Options of {@link SchedulingQueue}. */
export interface SchedulingQueueOptions {
  /** @default 1000 */
  initialBackoffMs?: number;
  /** @default 10000 */
  maxBackoffMs?: number;
  /** How long a pod stays parked as unschedulable before the periodic flush retries it. @default 60000 */
  unschedulableTimeoutMs?: number;
  /** Priority of a pod (e.g. resolving priorityClassName). @default spec.priority or 0 */
  priorityOf?: (pod: Pod) => number;
  /**
   * Called when a pod starts waiting on time (back-off or parked unschedulable), so the owner
   * can arm one timer for {@link SchedulingQueue.nextFlushAtMs} instead of flushing periodically.
   */
  onWaiting?: () => void;
}

/** Where a pod is in the queue. */
export type QueueLocation = 'active' | 'backoff' | 'unschedulable' | 'inFlight';

interface InFlight {
  info: QueuedPodInfo;
  deleted: boolean;
  updated: boolean;
}

/**
 * kube-scheduler's scheduling queue. Time comes from the injected clock; flushes are explicit:
 * the owner calls them at {@link SchedulingQueue.nextFlushAtMs} (nothing is due when no pod waits).
 */
export class SchedulingQueue {
  private readonly active = new KeyedHeap<QueuedPodInfo>(
    (i) => i.key,
    (a, b) =>
      a.priority > b.priority ||
      (a.priority === b.priority && (a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq))),
  );
  private readonly backoff = new KeyedHeap<QueuedPodInfo>(
    (i) => i.key,
    (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
  );
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, InFlight>();
  private waiters: (() => void)[] = [];
  private seq = 0;
  private closed = false;
  private moveRequestCycle = -1;
  /** Incremented on every pop. */
  schedulingCycle = 0;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly unschedulableTimeout: number;
  private readonly priorityOf: (pod: Pod) => number;
  private readonly onWaiting: () => void;

  constructor(
    private readonly clock: Pick<Clock, 'nowMs'>,
    options: SchedulingQueueOptions = {},
  ) {
    this.initialBackoff = options.initialBackoffMs ?? 1000;
    this.maxBackoff = options.maxBackoffMs ?? 10_000;
    this.unschedulableTimeout = options.unschedulableTimeoutMs ?? 60_000;
    this.priorityOf = options.priorityOf ?? podPriority;
    this.onWaiting = options.onWaiting ?? (() => undefined);
  }

  /** The back-off of a pod after `attempts` failures: initial doubling, capped. */
  backoffDuration(attempts: number): number {
    if (attempts <= 0) return 0;
    return Math.min(this.maxBackoff, this.initialBackoff * 2 ** Math.min(attempts - 1, 30));
  }

  private backoffExpiry(i: QueuedPodInfo): number {
    return i.timestamp + this.backoffDuration(i.attempts);
  }

  private newInfo(pod: Pod): QueuedPodInfo {
    return { pod, key: podKey(pod), priority: this.priorityOf(pod), timestamp: this.clock.nowMs(), attempts: 0, cycle: 0, seq: this.seq++ };
  }

  private wake(): void {
    if (this.active.size === 0 && !this.closed) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private toActive(info: QueuedPodInfo): void {
    info.unschedulableSince = undefined;
    this.active.push(info);
    this.wake();
  }

  /** Active if its back-off is over, else back-off. */
  private toActiveOrBackoff(info: QueuedPodInfo): void {
    info.unschedulableSince = undefined;
    if (this.backoffExpiry(info) > this.clock.nowMs()) this.toBackoff(info);
    else this.toActive(info);
  }

  private toBackoff(info: QueuedPodInfo): void {
    this.backoff.push(info);
    this.onWaiting();
  }

  /** Where the pod is, if queued or being scheduled. */
  locate(key: string): QueueLocation | undefined {
    if (this.active.has(key)) return 'active';
    if (this.backoff.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  /** Adds a new pending pod, or updates it (see {@link update}). */
  add(pod: Pod): void {
    this.update(pod);
  }

  /** Records a newer version of a pending pod; a parked pod is given another chance. */
  update(pod: Pod): void {
    const key = podKey(pod);
    const refresh = (i: QueuedPodInfo) => {
      i.pod = pod;
      i.priority = this.priorityOf(pod);
    };
    const flight = this.inFlight.get(key);
    if (flight) {
      refresh(flight.info);
      flight.updated = true;
      flight.deleted = false;
      return;
    }
    for (const heap of [this.active, this.backoff]) {
      const i = heap.get(key);
      if (i) {
        refresh(i);
        heap.push(i);
        return;
      }
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      this.unschedulable.delete(key);
      refresh(parked);
      this.toActiveOrBackoff(parked);
      return;
    }
    this.toActive(this.newInfo(pod));
  }

  /** Forgets a pod (deleted, or bound by someone else). */
  delete(key: string): void {
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    const flight = this.inFlight.get(key);
    if (flight) flight.deleted = true;
  }

  /** Takes the most important active pod, or undefined when none is ready. */
  pop(): QueuedPodInfo | undefined {
    const info = this.active.pop();
    if (!info) return undefined;
    info.cycle = ++this.schedulingCycle;
    this.inFlight.set(info.key, { info, deleted: false, updated: false });
    return info;
  }

  /** Resolves when an active pod is ready or the queue is closed. */
  wait(): Promise<void> {
    if (this.active.size > 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The pod's cycle ended with a bind (or it left the queue's care). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  private finish(key: string): { info: QueuedPodInfo; changed: boolean } | undefined {
    const flight = this.inFlight.get(key);
    if (!flight) return undefined;
    this.inFlight.delete(key);
    if (flight.deleted) return undefined;
    const info = flight.info;
    info.attempts++;
    info.timestamp = this.clock.nowMs();
    return { info, changed: flight.updated || this.moveRequestCycle >= info.cycle };
  }

  /**
   * The pod did not fit. It is parked as unschedulable, or goes to back-off when the cluster
   * changed (or the pod was updated) during its cycle.
   */
  requeueUnschedulable(key: string): void {
    const done = this.finish(key);
    if (!done) return;
    const { info, changed } = done;
    if (changed) {
      this.toBackoff(info);
      return;
    }
    info.unschedulableSince = this.clock.nowMs();
    this.unschedulable.set(info.key, info);
    this.onWaiting();
  }

  /** The pod's cycle failed with an error (e.g. the bind failed): retry after back-off. */
  requeueBackoff(key: string): void {
    const done = this.finish(key);
    if (done) this.toBackoff(done.info);
  }

  /** A cluster event that may make parked pods schedulable: move them all back. */
  moveAllToActiveOrBackoff(): void {
    for (const info of this.unschedulable.values()) this.toActiveOrBackoff(info);
    this.unschedulable.clear();
    this.moveRequestCycle = this.schedulingCycle;
  }

  /**
   * When the next flush has work: the earliest back-off expiry, or the earliest time a parked
   * pod reaches the unschedulable timeout. Undefined when no pod waits on time.
   */
  nextFlushAtMs(): number | undefined {
    const top = this.backoff.peek();
    const backoffAt = top ? this.backoffExpiry(top) : Infinity;
    // Pods are parked in time order (a Map keeps insertion order and a re-park re-inserts), so
    // the first one is the first to time out.
    const first = this.unschedulable.values().next().value as QueuedPodInfo | undefined;
    const parkedAt = first ? (first.unschedulableSince ?? this.clock.nowMs()) + this.unschedulableTimeout : Infinity;
    const at = Math.min(backoffAt, parkedAt);
    return at === Infinity ? undefined : at;
  }

  /** Moves pods whose back-off is over to activeQ. */
  flushBackoffCompleted(): void {
    const now = this.clock.nowMs();
    for (;;) {
      const top = this.backoff.peek();
      if (!top || this.backoffExpiry(top) > now) return;
      this.backoff.pop();
      this.toActive(top);
    }
  }

  /** Moves pods parked longer than the timeout back. */
  flushUnschedulableLeftover(): void {
    const now = this.clock.nowMs();
    for (const [key, info] of this.unschedulable) {
      if (now - (info.unschedulableSince ?? now) >= this.unschedulableTimeout) {
        this.unschedulable.delete(key);
        this.toActiveOrBackoff(info);
      }
    }
  }

  /** Ends every wait(). */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** How many pods are in each part of the queue. */
  counts(): Record<QueueLocation, number> {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  /** Every pod key held, with its location (for tests and debugging). */
  entries(): [string, QueueLocation][] {
    const out: [string, QueueLocation][] = [];
    for (const i of this.active.values()) out.push([i.key, 'active']);
    for (const i of this.backoff.values()) out.push([i.key, 'backoff']);
    for (const k of this.unschedulable.keys()) out.push([k, 'unschedulable']);
    for (const k of this.inFlight.keys()) out.push([k, 'inFlight']);
    return out;
  }
}
