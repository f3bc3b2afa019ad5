import type { Clock, Timer } from './types.js';
import { sleepOn } from './real-clock.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Lets pending promise callbacks and I/O callbacks run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told to. Use it in tests to drive back-off, probes and
 * CronJobs deterministically: `await clock.advance(10_000)` fires every timer due in those
 * ten seconds, in order, letting the work each one starts settle before the next.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: Pending[] = [];

  /** @param start the initial time @default 2026-01-01T00:00:00Z */
  constructor(start: Date | number = new Date('2026-01-01T00:00:00Z')) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  nowMs(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const entry: Pending = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** The number of timers waiting to fire. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /**
   * Moves time forward by `ms`, firing due timers in time order (timers set while advancing
   * fire too when they fall inside the window).
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      let next: Pending | undefined;
      for (const t of this.timers) {
        if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.current = Math.max(this.current, next.at);
      next.fn();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Sets the time (forward only), firing the timers due on the way. */
  async setTime(to: Date | number): Promise<void> {
    const ms = (typeof to === 'number' ? to : to.getTime()) - this.current;
    if (ms > 0) await this.advance(ms);
  }
}
