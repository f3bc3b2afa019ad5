import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, BACKOFF_RESET_AFTER_MS, formatDuration, inBackoff, nextBackoff, NO_BACKOFF } from '../../../src/node-agent/backoff.js';

describe('restart back-off', () => {
  it('goes 10s, 20s, 40s, 80s, 160s, 300s, 300s', () => {
    let s = NO_BACKOFF;
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      s = nextBackoff(s, 1000 * i, 0);
      delays.push(s.delayMs / 1000);
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });

  it('stays within [10s, 5min], never shrinks without a long run, and resets after a 10-minute run', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2 * BACKOFF_RESET_AFTER_MS), fc.nat(10 ** 9)), { minLength: 1, maxLength: 30 }), (failures) => {
        let s = NO_BACKOFF;
        for (const [ran, at] of failures) {
          const next = nextBackoff(s, at, ran);
          expect(next.delayMs).toBeGreaterThanOrEqual(BACKOFF_INITIAL_MS);
          expect(next.delayMs).toBeLessThanOrEqual(BACKOFF_MAX_MS);
          expect(next.untilMs).toBe(at + next.delayMs);
          if (ran >= BACKOFF_RESET_AFTER_MS) expect(next.delayMs).toBe(BACKOFF_INITIAL_MS);
          else if (s.delayMs > 0) expect(next.delayMs).toBe(Math.min(2 * s.delayMs, BACKOFF_MAX_MS));
          expect(inBackoff(next, next.untilMs - 1)).toBe(true);
          expect(inBackoff(next, next.untilMs)).toBe(false);
          s = next;
        }
      }),
    );
  });

  it('formats delays as Go durations', () => {
    expect(formatDuration(10_000)).toBe('10s');
    expect(formatDuration(160_000)).toBe('2m40s');
    expect(formatDuration(300_000)).toBe('5m0s');
  });
});
