import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { microTime, rfc3339, rfc3339Nano } from '../../../src/clock/time-format.js';

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

describe('microTime and rfc3339Nano', () => {
  it('write microseconds (MicroTime) and Go RFC3339Nano fractions', () => {
    expect(microTime(Date.UTC(2026, 0, 1, 0, 0, 1, 123))).toBe('2026-01-01T00:00:01.123000Z');
    expect(microTime(new Date(Date.UTC(2026, 0, 1)))).toBe('2026-01-01T00:00:00.000000Z');
    expect(rfc3339Nano(Date.UTC(2026, 0, 1, 0, 0, 1, 123))).toBe('2026-01-01T00:00:01.123Z');
    expect(rfc3339Nano(Date.UTC(2026, 0, 1, 0, 0, 1, 120))).toBe('2026-01-01T00:00:01.12Z');
    expect(rfc3339Nano(new Date(Date.UTC(2026, 0, 1, 0, 0, 1)))).toBe('2026-01-01T00:00:01Z');
  });

  it('parse back to the instant (rfc3339Nano, microTime) or its second (rfc3339)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), (t) => {
        expect(Date.parse(rfc3339Nano(t))).toBe(t);
        expect(Date.parse(microTime(t))).toBe(t);
        expect(Date.parse(rfc3339(t))).toBe(Math.floor(t / 1000) * 1000);
      }),
    );
  });
});
