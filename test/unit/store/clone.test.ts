import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cloneJson } from '../../../src/store/clone.js';

describe('cloneJson', () => {
  it('copies JSON values as structuredClone does, sharing nothing with the input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = cloneJson(value);
        expect(copy).toStrictEqual(structuredClone(value));
        if (value !== null && typeof value === 'object') expect(copy).not.toBe(value);
      }),
    );
  });

  it('gives a mutable copy of a frozen object', () => {
    const frozen = Object.freeze({ a: Object.freeze([1, Object.freeze({ b: 2 })]) });
    const copy = cloneJson(frozen) as { a: [number, { b: number }] };
    copy.a[1].b = 3;
    expect(frozen.a[1]).toEqual({ b: 2 });
    expect(Object.isFrozen(copy)).toBe(false);
  });

  it('hands non-JSON values to structuredClone: Dates, cycles, __proto__ keys, functions', () => {
    const d = new Date(0);
    expect(cloneJson({ d }).d).toEqual(d);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const c = cloneJson(cyclic) as Record<string, unknown>;
    expect(c.self).toBe(c);
    const proto = JSON.parse('{"__proto__": {"x": 1}}') as object;
    const p = cloneJson(proto);
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.keys(p)).toEqual(['__proto__']);
    expect(() => cloneJson({ f: () => 1 })).toThrow(/could not be cloned/);
  });
});
