import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonEqual, stableStringify } from '../../../../src/controllers/common/json.js';

describe('jsonEqual', () => {
  it('agrees with comparing stableStringify texts', () => {
    const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined), fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer({ min: 0, max: 2 }))));
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(jsonEqual(a, b)).toBe(stableStringify(a) === stableStringify(b));
        expect(jsonEqual(a, structuredClone(a))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('ignores key order and undefined members, and tells null members from absent ones', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, x: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: null }, {})).toBe(false);
    expect(jsonEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(jsonEqual({ a: [1] }, { a: [1, 2] })).toBe(false);
  });
});
