import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { carryOver, generateName, isNoop, parseResourceVersion } from '../../../src/store/object-stamp.js';
import { rfc3339 } from '../../../src/clock/time-format.js';
import { deepFreeze } from '../../../src/model/freeze.js';
import { jsonEqual } from '../../../src/model/json.js';
import { encodeKey, qualifiedResource } from '../../../src/store/keys.js';
import type { KubeObject } from '../../../src/model/types.js';

const base = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'a', uid: 'u', resourceVersion: '7', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { x: 1 },
});

describe('object stamping', () => {
  it('formats timestamps like Kubernetes, without milliseconds', () => {
    expect(rfc3339(new Date('2026-01-01T00:00:00.999Z'))).toBe('2026-01-01T00:00:00Z');
  });

  it('truncates long generateName prefixes to fit 63 characters', () => {
    const name = generateName('x'.repeat(80), () => 0);
    expect(name).toBe('x'.repeat(58) + 'bbbbb');
  });

  it('parses resourceVersions and rejects anything but digits', () => {
    expect(parseResourceVersion('42')).toBe(42);
    for (const bad of ['', '-1', '1.5', 'abc']) expect(() => parseResourceVersion(bad)).toThrow(/invalid resource version/);
  });

  it('carryOver takes the stored resourceVersion, so only an unchanged candidate is a no-op', () => {
    const stored = deepFreeze(base());
    const same = carryOver(stored, { ...structuredClone(stored), metadata: { ...structuredClone(stored.metadata), resourceVersion: '1' } });
    expect(same.metadata.resourceVersion).toBe('7');
    expect(isNoop(stored, same)).toBe(true);
    expect(isNoop(stored, carryOver(stored, { ...structuredClone(stored), spec: { x: 9 } }))).toBe(false);
  });

  it('jsonEqual agrees with a JSON round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(jsonEqual(a, structuredClone(a))).toBe(true);
        expect(jsonEqual(a, b)).toBe(JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b)));
      }),
    );
  });

  it('deepFreeze freezes every level', () => {
    fc.assert(
      fc.property(fc.object(), (o) => {
        deepFreeze(o);
        const walk = (v: unknown): void => {
          if (v && typeof v === 'object') {
            expect(Object.isFrozen(v)).toBe(true);
            Object.values(v).forEach(walk);
          }
        };
        walk(o);
      }),
    );
  });

  it('names keys and resources like Kubernetes', () => {
    expect(encodeKey({ resource: 'core/pods', namespace: 'ns', name: 'a' })).toBe('core/pods/ns/a');
    expect(encodeKey({ resource: 'core/nodes', name: 'n' })).toBe('core/nodes//n');
    expect(qualifiedResource('apps/deployments').label).toBe('deployments.apps');
    expect(qualifiedResource('core/pods').label).toBe('pods');
  });
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return Object.is(v, -0) ? 0 : v;
}
