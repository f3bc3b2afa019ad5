/**
 * Kubernetes' restart back-off, as pure functions over one entry (the kubelet's
 * flowcontrol.Backoff, one entry per container of a pod, no jitter).
 *
 * The curve, as the kubelet's doBackOff in kuberuntime_manager: a container with no back-off
 * entry yet restarts at once (and gets an entry of 10 s); the next crash waits 10 s after the
 * container finished, then 20 s, 40 s, ... at most 5 minutes. An entry is stale (as if absent,
 * so the restart is at once again) when the crash came more than 10 minutes (twice the maximum)
 * after the entry's last update, i.e. after a run of 10 minutes.
 */

/** The first back-off delay (given at the first restart, applied from the second). */
export const BACKOFF_INITIAL_MS = 10_000;
/** The longest back-off delay. */
export const BACKOFF_MAX_MS = 300_000;
/** An entry not updated for this long before the next failure is stale (the kubelet's 2 x max). */
export const BACKOFF_RESET_AFTER_MS = 2 * BACKOFF_MAX_MS;

/** The back-off entry of one container (or one image pull) of a pod. */
export interface BackoffState {
  /** The entry's current delay; 0 when there is no entry yet. */
  delayMs: number;
  /** When the entry was last updated (ms since the epoch): the last restart, or the last failed pull. */
  lastUpdateMs: number;
}

/** No entry yet. */
export const NO_BACKOFF: BackoffState = { delayMs: 0, lastUpdateMs: 0 };

/** The kubelet's hasExpired: no entry, or an event more than 2 x max after the entry's last update. */
function stale(state: BackoffState, eventMs: number): boolean {
  return state.delayMs === 0 || eventMs - state.lastUpdateMs > BACKOFF_RESET_AFTER_MS;
}

/**
 * Backoff.Next: the entry after a restart (or failed pull) at `nowMs` for a failure at
 * `eventMs`: 10 s for a new or stale entry, else twice the last delay, at most 5 minutes.
 */
export function nextBackoff(state: BackoffState, eventMs: number, nowMs: number = eventMs): BackoffState {
  const delayMs = stale(state, eventMs) ? BACKOFF_INITIAL_MS : Math.min(state.delayMs * 2, BACKOFF_MAX_MS);
  return { delayMs, lastUpdateMs: nowMs };
}

/**
 * Backoff.IsInBackOffSince, as doBackOff asks it: must the restart of a container that finished
 * at `finishedAtMs` still wait at `nowMs`? Never with no (or a stale) entry: the first restart is
 * at once.
 */
export function inBackoffSince(state: BackoffState, finishedAtMs: number, nowMs: number): boolean {
  if (stale(state, finishedAtMs)) return false;
  return nowMs - finishedAtMs < state.delayMs;
}

/** When a restart held back by {@link inBackoffSince} may go ahead. */
export function backoffEndsAt(state: BackoffState, finishedAtMs: number): number {
  return finishedAtMs + state.delayMs;
}

/** Backoff.IsInBackOffSinceUpdate, as the image puller asks it: must the next pull still wait? */
export function inBackoffSinceUpdate(state: BackoffState, nowMs: number): boolean {
  if (stale(state, nowMs)) return false;
  return nowMs - state.lastUpdateMs < state.delayMs;
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
