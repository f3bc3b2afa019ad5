import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rfc3339 } from '../../../src/clock/time-format.js';

describe('rfc3339', () => {
  it('formats any instant (repeated or not) as ISO seconds with Z', () => {
    const instant = fc.integer({ min: -8.64e15, max: 8.64e15 });
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 5 }), (times) => {
        for (const t of [...times, ...times]) {
          const expected = new Date(Math.floor(t / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
          expect(rfc3339(t)).toBe(expected);
          expect(rfc3339(new Date(t))).toBe(expected);
        }
      }),
    );
  });

  it('gives one shared string to calls within the same second, and throws on an invalid date', () => {
    expect(rfc3339(Date.UTC(2026, 0, 1, 0, 0, 0, 100))).toBe('2026-01-01T00:00:00Z');
    expect(rfc3339(Date.UTC(2026, 0, 1, 0, 0, 0, 900))).toBe('2026-01-01T00:00:00Z');
    expect(rfc3339(Date.UTC(2026, 0, 1, 0, 0, 1))).toBe('2026-01-01T00:00:01Z');
    expect(() => rfc3339(Number.NaN)).toThrow(RangeError);
  });
});
