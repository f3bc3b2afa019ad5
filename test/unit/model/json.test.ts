import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonEqual, stableStringify } from '../../../src/model/json.js';

/** The value a JSON round trip gives back, keys sorted (what jsonEqual must agree with). */
function roundTrip(v: unknown): string {
  const sortKeys = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sortKeys);
    if (x && typeof x === 'object')
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]),
      );
    return x;
  };
  return JSON.stringify(sortKeys(JSON.parse(JSON.stringify(v ?? null))));
}

describe('jsonEqual', () => {
  it('agrees with comparing stableStringify texts', () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constant(undefined),
      fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer({ min: 0, max: 2 }))),
    );
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(jsonEqual(a, b)).toBe(stableStringify(a) === stableStringify(b));
        expect(jsonEqual(a, structuredClone(a))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with a JSON round trip, non-JSON numbers and undefined included', () => {
    const leaf = fc.oneof(
      fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, undefined, null, 1, 'x'),
      fc.integer({ min: -2, max: 2 }),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b'), tie('value'), { maxKeys: 2 }),
      ),
    }));
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(jsonEqual(a, b)).toBe(roundTrip(a) === roundTrip(b));
      }),
      { numRuns: 1000 },
    );
  });

  it('ignores key order and undefined members, and tells null members from absent ones', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, x: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: null }, {})).toBe(false);
    expect(jsonEqual({ a: undefined }, { a: null })).toBe(false);
    expect(jsonEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(jsonEqual({ a: [1] }, { a: [1, 2] })).toBe(false);
  });

  it('reads NaN and the infinities as null, as JSON.stringify writes them', () => {
    expect(jsonEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(jsonEqual({ a: Number.NaN }, { a: Number.NaN })).toBe(true);
    expect(jsonEqual({ a: Number.NaN }, { a: null })).toBe(true);
    expect(jsonEqual([Infinity], [-Infinity])).toBe(true);
    expect(jsonEqual({ a: Number.NaN }, {})).toBe(false);
  });

  it('equals -0 and 0, as JSON writes both as 0', () => {
    expect(jsonEqual(-0, 0)).toBe(true);
    expect(jsonEqual({ a: [-0] }, { a: [0] })).toBe(true);
  });

  it('reads undefined array items as null', () => {
    expect(jsonEqual([undefined], [null])).toBe(true);
    expect(jsonEqual([1, undefined], [1])).toBe(false);
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
    expect(jsonEqual([1, , 3], [1, null, 3])).toBe(true);
  });
});

describe('stableStringify', () => {
  it('writes the same text for equal values, whatever the key order', () => {
    expect(stableStringify({ b: 1, a: [Number.NaN, undefined], c: undefined })).toBe('{"a":[null,null],"b":1}');
    expect(stableStringify({ a: { y: 1, x: 2 } })).toBe(stableStringify({ a: { x: 2, y: 1 } }));
  });
});
