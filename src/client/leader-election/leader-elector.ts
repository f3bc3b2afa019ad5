/**
 * LeaderElector: client-go's tools/leaderelection over a {@link LeaseLock}, on the context's
 * clock. `run` tries to acquire the Lease every retryPeriod (jittered); once it holds it, it calls
 * `onStartedLeading` and renews every retryPeriod, giving leadership up when no renewal succeeds
 * within renewDeadline. A candidate takes a Lease held by another only when its own clock has seen
 * no change of the Lease for leaseDuration (client-go's observedTime rule: no trust in the
 * holder's clock), and writes with the resourceVersion it read, so two candidates never both win.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../../clock/types.js';
import { TugboatError } from '../../model/errors.js';
import type { ApiContext } from '../types.js';
import { LeaseLock } from './lease-lock.js';
import type { LeaderCallbacks, LeaderElectionRecord, LeaderElectorOptions } from './types.js';

/** Resolves after `ms` of `clock`, or at once (false) when `signal` aborts. */
async function wait(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}

function sameRecord(a: LeaderElectionRecord | undefined, b: LeaderElectionRecord): boolean {
  return (
    !!a &&
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

/** Leader election on one Lease for one candidate. */
export class LeaderElector {
  /** This candidate's identity. */
  readonly identity: string;
  private readonly lock: LeaseLock;
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly jitterFactor: number;
  private readonly releaseOnCancel: boolean;
  private readonly callbacks: LeaderCallbacks;
  private readonly onError: (err: unknown) => void;
  private observed: LeaderElectionRecord | undefined;
  private observedTime = 0;
  private reportedLeader = '';
  private running = false;

  /**
   * @param context the API the Lease is read and written through (in-process or HTTP)
   * @param options the Lease, the identity, the durations and the callbacks
   * @throws TugboatError BadRequest naming the field when a duration or the name is invalid
   */
  constructor(context: ApiContext, options: LeaderElectorOptions) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.jitterFactor = options.jitterFactor ?? 1.2;
    for (const [field, v] of [
      ['leaseDurationMs', this.leaseDurationMs],
      ['renewDeadlineMs', this.renewDeadlineMs],
      ['retryPeriodMs', this.retryPeriodMs],
    ] as const) {
      if (!Number.isFinite(v) || v <= 0)
        throw TugboatError.badRequest(`leaderElection.${field}: Invalid value: ${v}: must be greater than zero`);
    }
    if (!Number.isFinite(this.jitterFactor) || this.jitterFactor < 0) {
      throw TugboatError.badRequest(`leaderElection.jitterFactor: Invalid value: ${this.jitterFactor}: must be zero or more`);
    }
    if (this.leaseDurationMs <= this.renewDeadlineMs) {
      throw TugboatError.badRequest('leaderElection.leaseDurationMs: Invalid value: must be greater than renewDeadlineMs');
    }
    if (this.renewDeadlineMs <= Math.max(1, this.jitterFactor) * this.retryPeriodMs) {
      throw TugboatError.badRequest(
        'leaderElection.renewDeadlineMs: Invalid value: must be greater than retryPeriodMs times the jitter factor',
      );
    }
    if (!options.name) throw TugboatError.badRequest('leaderElection.name: Required value: the Lease name');
    if (typeof options.callbacks?.onStartedLeading !== 'function') {
      throw TugboatError.badRequest('leaderElection.callbacks.onStartedLeading: Required value: a function');
    }
    this.identity = options.identity ?? `${hostname()}_${randomUUID()}`;
    if (!this.identity) throw TugboatError.badRequest('leaderElection.identity: Invalid value: "": must not be empty');
    this.lock = new LeaseLock(context, options.namespace ?? 'kube-system', options.name);
    this.clock = context.clock;
    this.releaseOnCancel = options.releaseOnCancel ?? true;
    this.callbacks = options.callbacks;
    this.onError = options.onError ?? (() => undefined);
  }

  /** True while the last record this candidate saw names it the holder. */
  isLeader(): boolean {
    return this.observed?.holderIdentity === this.identity;
  }

  /** The holder last observed (`''` when none). */
  leader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /**
   * Campaigns until it leads, leads until a renewal misses renewDeadline or `signal` aborts, then
   * (with releaseOnCancel) releases the Lease and calls onStoppedLeading. Resolves when done; one
   * run at a time (a candidate that lost leadership makes a new elector, as kube-controller-manager
   * restarts).
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new TugboatError('Conflict', `leader elector ${this.identity} is running already`);
    this.running = true;
    try {
      if (!(await this.acquire(signal))) return;
      const leading = new AbortController();
      const stopLeading = () => leading.abort();
      signal.addEventListener('abort', stopLeading, { once: true });
      if (signal.aborted) leading.abort();
      try {
        Promise.resolve()
          .then(() => this.callbacks.onStartedLeading(leading.signal))
          .catch((err: unknown) => this.onError(err));
        await this.renew(leading.signal);
      } finally {
        signal.removeEventListener('abort', stopLeading);
        leading.abort();
        if (this.releaseOnCancel) await this.release();
      }
    } finally {
      this.running = false;
      this.callbacks.onStoppedLeading?.();
    }
  }

  /** Tries every retryPeriod (jittered) until it holds the Lease; false when aborted first. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      const ok = await this.tryAcquireOrRenew();
      this.reportTransition();
      if (ok) return true;
      if (!(await wait(this.clock, this.retryPeriodMs * (1 + Math.random() * this.jitterFactor), signal))) return false;
    }
  }

  /** Renews every retryPeriod; returns when a renewal misses renewDeadline or `signal` aborts. */
  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const start = this.clock.nowMs();
      let renewed = false;
      while (!signal.aborted && this.clock.nowMs() - start < this.renewDeadlineMs) {
        renewed = await this.attemptWithin(this.renewDeadlineMs - (this.clock.nowMs() - start));
        if (renewed) break;
        const left = this.renewDeadlineMs - (this.clock.nowMs() - start);
        if (left <= 0 || !(await wait(this.clock, Math.min(this.retryPeriodMs, left), signal))) break;
      }
      this.reportTransition();
      if (!renewed) return;
      if (!(await wait(this.clock, this.retryPeriodMs, signal))) return;
    }
  }

  /** One tryAcquireOrRenew, counted failed when it takes longer than `ms` (a hung request). */
  private async attemptWithin(ms: number): Promise<boolean> {
    let timer: { cancel(): void } | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = this.clock.setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([this.tryAcquireOrRenew(), late]);
    } finally {
      timer?.cancel();
    }
  }

  /** client-go's tryAcquireOrRenew: create, renew, or take an expired Lease; false when held by another or on error. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.nowMs();
    const record: LeaderElectionRecord = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    let old: LeaderElectionRecord | undefined;
    try {
      old = await this.lock.get();
      if (!old) {
        await this.lock.create(record);
        this.observe(record, now);
        return true;
      }
    } catch (err) {
      this.onError(err);
      return false;
    }
    // The observer's clock, not the holder's renewTime, decides expiry.
    if (!sameRecord(this.observed, old)) this.observe(old, now);
    if (old.holderIdentity !== '' && this.observedTime + this.leaseDurationMs > now && !this.isLeader()) return false;
    if (this.isLeader()) {
      record.acquireTime = old.acquireTime;
      record.leaseTransitions = old.leaseTransitions;
    } else {
      record.leaseTransitions = old.leaseTransitions + 1;
    }
    try {
      await this.lock.update(record);
    } catch (err) {
      this.onError(err);
      return false;
    }
    this.observe(record, this.clock.nowMs());
    return true;
  }

  /** client-go's release: an empty holder and a 1 s duration, so candidates take it at once. */
  private async release(): Promise<void> {
    if (!this.isLeader()) return;
    const now = this.clock.nowMs();
    const record: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: this.observed?.leaseTransitions ?? 0,
    };
    try {
      await this.lock.update(record);
      this.observe(record, now);
    } catch (err) {
      this.onError(err);
    }
  }

  private observe(record: LeaderElectionRecord, at: number): void {
    this.observed = record;
    this.observedTime = at;
  }

  /** Calls onNewLeader when the observed holder changed since last reported. */
  private reportTransition(): void {
    const holder = this.leader();
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    if (holder) this.callbacks.onNewLeader?.(holder);
  }
}
