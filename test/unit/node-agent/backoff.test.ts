import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BACKOFF_INITIAL_MS,
  BACKOFF_MAX_MS,
  BACKOFF_RESET_AFTER_MS,
  backoffEndsAt,
  formatDuration,
  inBackoffSince,
  inBackoffSinceUpdate,
  nextBackoff,
  NO_BACKOFF,
  type BackoffState,
} from '../../../src/node-agent/backoff.js';

/** What the kubelet's doBackOff does for a crash at `finishedAt`: the time the restart happens, and the entry after it. */
function restartAfterCrash(s: BackoffState, finishedAt: number): { restartAt: number; next: BackoffState } {
  const restartAt = inBackoffSince(s, finishedAt, finishedAt) ? backoffEndsAt(s, finishedAt) : finishedAt;
  expect(inBackoffSince(s, finishedAt, restartAt)).toBe(false);
  return { restartAt, next: nextBackoff(s, finishedAt, restartAt) };
}

describe('restart back-off (the kubelet curve)', () => {
  it('restarts the first crash at once, then waits 10s, 20s, 40s, 80s, 160s, 300s, 300s', () => {
    let s = NO_BACKOFF;
    let t = 0;
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const crashAt = t + 1000; // each instance runs 1 s
      const { restartAt, next } = restartAfterCrash(s, crashAt);
      waits.push((restartAt - crashAt) / 1000);
      s = next;
      t = restartAt;
    }
    expect(waits).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
  });

  it('a crash more than 10 minutes after the last restart restarts at once and starts the curve over', () => {
    let s = nextBackoff(nextBackoff(NO_BACKOFF, 0, 0), 10_000, 20_000); // two restarts: entry 20 s
    expect(s.delayMs).toBe(20_000);
    const late = 20_000 + BACKOFF_RESET_AFTER_MS + 1;
    expect(inBackoffSince(s, late, late)).toBe(false);
    s = nextBackoff(s, late, late);
    expect(s.delayMs).toBe(BACKOFF_INITIAL_MS);
    // exactly 10 minutes is not yet stale
    const edge = nextBackoff(NO_BACKOFF, 0, 0);
    expect(inBackoffSince(edge, BACKOFF_RESET_AFTER_MS, BACKOFF_RESET_AFTER_MS)).toBe(true);
  });

  it('never holds a container without an entry, stays within [10s, 5min], and doubles unless stale', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2 * BACKOFF_RESET_AFTER_MS), fc.nat(BACKOFF_MAX_MS)), { minLength: 1, maxLength: 30 }),
        (runs) => {
          let s = NO_BACKOFF;
          let t = 0;
          for (const [ran, late] of runs) {
            const finished = t + ran;
            const held = inBackoffSince(s, finished, finished);
            if (s.delayMs === 0) expect(held).toBe(false);
            const restartAt = (held ? backoffEndsAt(s, finished) : finished) + late;
            const next = nextBackoff(s, finished, restartAt);
            expect(next.delayMs).toBeGreaterThanOrEqual(BACKOFF_INITIAL_MS);
            expect(next.delayMs).toBeLessThanOrEqual(BACKOFF_MAX_MS);
            if (s.delayMs === 0 || finished - s.lastUpdateMs > BACKOFF_RESET_AFTER_MS) expect(next.delayMs).toBe(BACKOFF_INITIAL_MS);
            else expect(next.delayMs).toBe(Math.min(2 * s.delayMs, BACKOFF_MAX_MS));
            expect(inBackoffSince(next, restartAt, restartAt + next.delayMs - 1)).toBe(true);
            expect(inBackoffSince(next, restartAt, restartAt + next.delayMs)).toBe(false);
            s = next;
            t = restartAt;
          }
        },
      ),
    );
  });

  it('image pulls: the first failure holds the next pull 10 s after it, then 20 s', () => {
    let s = nextBackoff(NO_BACKOFF, 1000, 1000);
    expect(inBackoffSinceUpdate(NO_BACKOFF, 1000)).toBe(false);
    expect(inBackoffSinceUpdate(s, 10_999)).toBe(true);
    expect(inBackoffSinceUpdate(s, 11_000)).toBe(false);
    s = nextBackoff(s, 11_000, 11_000);
    expect(s.delayMs).toBe(20_000);
  });

  it('formats delays as Go durations', () => {
    expect(formatDuration(10_000)).toBe('10s');
    expect(formatDuration(160_000)).toBe('2m40s');
    expect(formatDuration(300_000)).toBe('5m0s');
  });
});
