/**
 * Kubernetes' restart back-off, as pure functions: the first restart waits 10 s, each further
 * one twice as long, at most 5 minutes; a container that ran 10 minutes starts over at 10 s.
 */

/** The first back-off delay. */
export const BACKOFF_INITIAL_MS = 10_000;
/** The longest back-off delay. */
export const BACKOFF_MAX_MS = 300_000;
/** A container that ran this long before exiting resets its back-off. */
export const BACKOFF_RESET_AFTER_MS = 600_000;

/** The back-off of one container (or one image pull) of a pod. */
export interface BackoffState {
  /** The delay applied last time; 0 before the first restart. */
  delayMs: number;
  /** No restart before this time (ms since the epoch). */
  untilMs: number;
}

/** The state before any failure. */
export const NO_BACKOFF: BackoffState = { delayMs: 0, untilMs: 0 };

/**
 * The back-off after a failure at `failedAtMs` of something that had run `ranMs`:
 * 10 s, then doubled up to 5 min; reset to 10 s after a run of 10 minutes or more.
 */
export function nextBackoff(prev: BackoffState, failedAtMs: number, ranMs = 0): BackoffState {
  const reset = prev.delayMs === 0 || ranMs >= BACKOFF_RESET_AFTER_MS;
  const delayMs = reset ? BACKOFF_INITIAL_MS : Math.min(prev.delayMs * 2, BACKOFF_MAX_MS);
  return { delayMs, untilMs: failedAtMs + delayMs };
}

/** True while a restart must still wait. */
export function inBackoff(state: BackoffState, nowMs: number): boolean {
  return nowMs < state.untilMs;
}

/** Formats a delay as Go's time.Duration does for whole seconds and minutes: '10s', '2m40s', '5m0s'. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}
