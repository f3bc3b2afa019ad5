import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, getOwn, setOwn, toJsonValue } from '../../../src/model/json-value.js';
import { TugboatError } from '../../../src/model/errors.js';

const badRequest = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(TugboatError.is(err, 'BadRequest')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected BadRequest');
};

describe('json-value', () => {
  it('copies as JSON would: toJSON, undefined and functions dropped, own keys only', () => {
    const src = JSON.parse('{"__proto__":{"x":1},"a":[1,null]}') as Record<string, unknown>;
    const out = toJsonValue({ ...src, when: new Date(0), skip: undefined, fn: () => 1 }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a', 'when']);
    expect(out.when).toBe('1970-01-01T00:00:00.000Z');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses cycles, non-finite numbers, bigints and nesting past the limit', () => {
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(badRequest(() => toJsonValue(cyc, 'obj'))).toBe('obj: self: the value refers to itself (a cycle), which JSON cannot hold');
    expect(badRequest(() => toJsonValue({ n: NaN }))).toMatch(/NaN is not a JSON number/);
    expect(badRequest(() => toJsonValue({ spec: { list: [1, { n: Infinity }] } }, 'Pod'))).toBe(
      'Pod: spec.list[1].n: Infinity is not a JSON number',
    );
    expect(badRequest(() => toJsonValue([{ n: NaN }], 'list'))).toBe('list: [0].n: NaN is not a JSON number');
    expect(badRequest(() => toJsonValue({ n: 1n }))).toMatch(/bigint/);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < MAX_JSON_DEPTH + 1; i++) deep = (deep.a = {}) as Record<string, unknown>;
    expect(badRequest(() => toJsonValue(root))).toMatch(/exceeded max depth of 1000/);
    const shared = { x: 1 };
    expect(toJsonValue({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('measures the JSON size', () => {
    const measure = { bytes: 0 };
    toJsonValue({ a: 'x'.repeat(1000) }, 'o', measure);
    expect(measure.bytes).toBeGreaterThanOrEqual(1000);
    expect(measure.bytes).toBeLessThan(1100);
  });

  it('getOwn and setOwn never touch a prototype', () => {
    const o: Record<string, unknown> = {};
    expect(getOwn(o, 'constructor')).toBeUndefined();
    expect(getOwn(o, '__proto__')).toBeUndefined();
    setOwn(o, '__proto__', { polluted: true });
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(getOwn(o, '__proto__')).toEqual({ polluted: true });
  });
});
