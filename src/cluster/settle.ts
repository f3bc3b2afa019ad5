/**
 * Waiting for a whole cluster to go quiet (`cluster.settled()`), and driving a FakeClock cluster
 * until something holds (`cluster.advanceUntil()`): the two ways a test waits without sleeping.
 */
import type { Clock } from '../clock/types.js';
import { FakeClock } from '../clock/fake-clock.js';
import { TugboatError } from '../model/errors.js';
import type { ObjectStore } from '../store/types.js';

/** One component whose idleness settled() checks. */
export interface IdlePart {
  /** Named in the error when the cluster does not settle. */
  readonly name: string;
  /** True when the part has nothing to do until time passes or the cluster changes. */
  isIdle(): boolean;
  /**
   * The part may sit mid-work waiting on the cluster's clock (a node agent's worker inside a mock
   * runtime's pull or stop delay). On a FakeClock such a part stops holding settled() up once the
   * store has seen no write for {@link CLOCK_WAIT_TURNS} turns.
   */
  readonly mayWaitOnClock?: boolean;
}

/** What settle() watches. */
export interface SettleTarget {
  clock: Clock;
  store: ObjectStore;
  parts: IdlePart[];
  /** Parts that only offer an idle promise (the garbage collector). */
  idle?: () => Promise<void>;
}

/** Options of `cluster.settled()`. */
export interface SettleOptions {
  /**
   * Give up after this much wall time (not the cluster's clock) with a Timeout naming the parts
   * still busy. @default 30_000
   */
  timeoutMs?: number;
}

/** Options of `cluster.advanceUntil()`. */
export interface AdvanceUntilOptions {
  /** How far the FakeClock moves per step; the cluster settles after each. @default 1000 */
  stepMs?: number;
  /** Give up once the clock has moved this far. @default 300_000 */
  maxMs?: number;
  /** Wall-time bound of each settle between steps. @default 30_000 */
  settleTimeoutMs?: number;
  /** What is awaited, named in the error (e.g. `'3 ready pods of web'`). */
  what?: string;
}

/** Consecutive quiet turns (every part idle, no store write) that make a cluster settled. */
const STABLE_TURNS = 5;
/** Turns without any store write after which a part waiting on a FakeClock no longer counts as busy. */
export const CLOCK_WAIT_TURNS = 10;
/** Busy turns taken with setImmediate before the loop yields with a 1 ms timer (real I/O waits). */
const FAST_TURNS = 2000;

const nextTurn = (slow: boolean): Promise<void> => new Promise((resolve) => (slow ? setTimeout(resolve, 1) : setImmediate(resolve)));

/**
 * Resolves once every part has been idle, and the store has taken no write, for a few
 * consecutive event-loop turns (so watch events in flight are delivered and acted on).
 */
export async function settle(target: SettleTarget, options: SettleOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const onFakeClock = target.clock instanceof FakeClock;
  let lastRv = await target.store.currentResourceVersion();
  let quiet = 0;
  let clockWait = 0;
  for (let turn = 0; ; turn++) {
    await target.idle?.();
    const rv = await target.store.currentResourceVersion();
    const wrote = rv !== lastRv;
    lastRv = rv;
    const busy = target.parts.filter((p) => !p.isIdle());
    const onlyClockWaiters = busy.length > 0 && busy.every((p) => p.mayWaitOnClock);
    clockWait = onFakeClock && onlyClockWaiters && !wrote ? clockWait + 1 : 0;
    const idle = !wrote && (busy.length === 0 || clockWait >= CLOCK_WAIT_TURNS);
    quiet = idle ? quiet + 1 : 0;
    if (quiet >= STABLE_TURNS) return;
    if (Date.now() > deadline) {
      const names = busy.map((p) => p.name);
      throw new TugboatError(
        'Timeout',
        `the cluster did not settle within ${timeoutMs}ms of wall time: ${names.length ? `busy: ${names.join(', ')}` : 'the store kept being written'}`,
      );
    }
    await nextTurn(turn >= FAST_TURNS);
  }
}

/**
 * Advances a FakeClock step by step, settling after each step, until `predicate` returns a
 * truthy value (returned). Throws Timeout naming how far it went and the last result or error.
 */
export async function advanceUntil<T>(
  clock: Clock,
  settled: () => Promise<void>,
  predicate: () => T | Promise<T>,
  options: AdvanceUntilOptions = {},
): Promise<T> {
  if (!(clock instanceof FakeClock)) {
    throw TugboatError.badRequest("advanceUntil moves the cluster's clock: start the cluster with `clock: new FakeClock()`");
  }
  const stepMs = options.stepMs ?? 1000;
  const maxMs = options.maxMs ?? 300_000;
  if (!(stepMs > 0) || !(maxMs >= 0)) {
    throw TugboatError.badRequest(`advanceUntil: stepMs must be > 0 and maxMs >= 0 (got stepMs ${stepMs}, maxMs ${maxMs})`);
  }
  let advanced = 0;
  let steps = 0;
  let last: { value: unknown } | { error: unknown } = { value: undefined };
  for (;;) {
    await settled();
    try {
      const value = await predicate();
      if (value) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (advanced >= maxMs) break;
    const step = Math.min(stepMs, maxMs - advanced);
    await clock.advance(step);
    advanced += step;
    steps++;
  }
  const lastText = 'error' in last ? `last error: ${describe(last.error)}` : `last result: ${describe(last.value)}`;
  throw new TugboatError(
    'Timeout',
    `advanceUntil${options.what ? ` (${options.what})` : ''}: the predicate did not hold after advancing the clock ${advanced}ms in ${steps} steps of ${stepMs}ms (maxMs ${maxMs}); ${lastText}`,
  );
}

function describe(x: unknown): string {
  if (x instanceof Error) return `${x.name}: ${x.message}`;
  if (typeof x === 'string') return JSON.stringify(x);
  try {
    const s = JSON.stringify(x);
    if (s === undefined) return String(x);
    return s.length > 300 ? `${s.slice(0, 300)}...` : s;
  } catch {
    return String(x);
  }
}
