import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cloneJson, cloneSharing } from '../../../src/model/clone.js';

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

describe('cloneSharing', () => {
  const base = deepFreezeForTest({
    kind: 'Pod',
    metadata: { name: 'a', labels: { app: 'x' } },
    spec: { containers: [{ name: 'c', image: 'i' }], nodeName: 'n' },
    status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] },
  });

  it('shares the sub-trees equal to the base and copies the rest', () => {
    const next = {
      ...base,
      metadata: { ...base.metadata },
      spec: JSON.parse(JSON.stringify(base.spec)),
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
    };
    const out = cloneSharing(next, base) as typeof base;
    expect(out).toEqual(next);
    expect(out.spec).toBe(base.spec);
    expect(out.metadata.labels).toBe(base.metadata.labels);
    expect(out.status.conditions).toBe(base.status.conditions);
    expect(out.status).not.toBe(base.status);
    expect(out.status).not.toBe(next.status);
  });

  it('always makes the root and metadata new and mutable', () => {
    const out = cloneSharing(base, base) as { metadata: { name: string } };
    expect(out).not.toBe(base);
    expect(out.metadata).not.toBe(base.metadata);
    out.metadata.name = 'b';
    expect(base.metadata.name).toBe('a');
  });

  it('copies a changed array element, an extra key or a missing key', () => {
    const next = { ...base, spec: { containers: [{ name: 'c', image: 'j' }], nodeName: 'n', extra: [1] } };
    const out = cloneSharing(next, base) as { spec: { containers: object[]; extra: number[] } };
    expect(out.spec).toEqual(next.spec);
    expect(out.spec.containers).not.toBe(base.spec.containers);
    expect(out.spec.extra).not.toBe(next.spec.extra);
    const fewer = cloneSharing({ ...base, spec: { containers: base.spec.containers } }, base) as { spec: object };
    expect(fewer.spec).toEqual({ containers: base.spec.containers });
  });

  it('never shares a caller value that is not frozen', () => {
    const open = { kind: 'Pod', metadata: {}, spec: { x: 1 } };
    const out = cloneSharing(open, open) as typeof open;
    expect(out.spec).not.toBe(open.spec);
  });
});

function deepFreezeForTest<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreezeForTest(x);
    Object.freeze(v);
  }
  return v;
}

describe('cloneSharing (property)', () => {
  it('equals a plain deep copy of the value, whatever the base', () => {
    const obj = fc.dictionary(fc.string(), fc.jsonValue());
    fc.assert(
      fc.property(obj, obj, fc.boolean(), (value, other, sameBase) => {
        const base = deepFreezeForTest(structuredClone(sameBase ? { ...other, ...value } : other));
        const out = cloneSharing(value, base);
        expect(out).toStrictEqual(structuredClone(value));
      }),
    );
  });
});
