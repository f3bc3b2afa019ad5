import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeHash, equalIgnoreHash } from '../../../../src/controllers/util/template-hash.js';
import { Fnv32, safeEncode } from '../../../../src/controllers/util/hash.js';
import type { core } from '../../../../src/model/types.js';

const template: core.PodTemplateSpec = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } };
const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'x'), fc.constantFrom('a', 'b'));
const templates = fc.record({
  metadata: fc.record({ labels }),
  spec: fc.record({
    containers: fc.array(fc.record({ name: fc.constantFrom('a', 'b'), image: fc.constantFrom('i:1', 'i:2') }), { maxLength: 2 }),
  }),
});

describe('computeHash', () => {
  it('keeps the values ReplicaSets were named with before (no collision count)', () => {
    expect(computeHash(template)).toBe('79c545b47');
    expect(computeHash({})).toBe('596b7c79fc');
    expect(computeHash(undefined)).toBe('5859f96865');
  });

  it('adds the collision count as Kubernetes does: any count, 0 included, gives another hash', () => {
    expect(computeHash(template, 0)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template, 0));
    expect(computeHash(template, null)).toBe(computeHash(template));
  });

  it('is a function of the template, whatever the key order or pod-template-hash label; equalIgnoreHash agrees', () => {
    fc.assert(
      fc.property(templates, templates, fc.string({ maxLength: 5 }), (a, b, hash) => {
        const relabeled = { spec: a.spec, metadata: { labels: { 'pod-template-hash': hash, ...a.metadata.labels } } };
        expect(computeHash(relabeled)).toBe(computeHash(a));
        expect(equalIgnoreHash(relabeled, a)).toBe(true);
        if (equalIgnoreHash(a, b)) expect(computeHash(a)).toBe(computeHash(b));
        expect(computeHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
      }),
    );
  });

  it('FNV matches the published test vectors (Go hash/fnv)', () => {
    expect(new Fnv32(false).write('').sum32()).toBe(0x811c9dc5);
    expect(new Fnv32(false).write('a').sum32()).toBe(0x050c5d7e);
    expect(new Fnv32(true).write('a').sum32()).toBe(0xe40c292c);
    expect(new Fnv32(true).write('foobar').sum32()).toBe(0xbf9cf968);
    expect(new Fnv32(false).write('foobar').sum32()).toBe(0x31f0b262);
    // Kubernetes' rand.SafeEncodeString: byte % 27 into its alphabet ('0' is 48, so index 21)
    expect(safeEncode('0123456789')).toBe('456789bcdf');
  });
});
