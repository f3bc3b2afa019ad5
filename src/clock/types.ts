/** A cancellable timer handle. */
export interface Timer {
  /** Stops the timer; a no-op when it has fired already. */
  cancel(): void;
}

/**
 * Where tugboat reads time. Every component takes a Clock, so tests can drive CronJobs,
 * back-off and probes with a {@link FakeClock} and no sleeps.
 */
export interface Clock {
  /** The current time. */
  now(): Date;
  /** The current time in milliseconds since the epoch. */
  nowMs(): number;
  /** Calls `fn` once after `ms` milliseconds of this clock's time. */
  setTimeout(fn: () => void, ms: number): Timer;
  /** Resolves after `ms` milliseconds of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
