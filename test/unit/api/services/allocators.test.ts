import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IpRange } from '../../../../src/api/services/ip-allocator.js';
import { PortRange } from '../../../../src/api/services/port-allocator.js';
import { TugboatError } from '../../../../src/model/errors.js';

describe('IpRange (Kubernetes ipallocator semantics)', () => {
  it('excludes the network and broadcast addresses and splits a static band', () => {
    const r = new IpRange('10.96.0.0/12');
    expect(r.max).toBe(2 ** 20 - 2);
    expect(r.staticBand).toBe(256);
    expect(r.contains('10.96.0.0')).toBe(false);
    expect(r.contains('10.96.0.1')).toBe(true);
    expect(r.contains('10.111.255.254')).toBe(true);
    expect(r.contains('10.111.255.255')).toBe(false);
    expect(r.contains('10.112.0.1')).toBe(false);
    expect(new IpRange('10.0.0.0/24').staticBand).toBe(16);
  });

  it('allocates from the dynamic band first, then the static one, and reports a full range', () => {
    const r = new IpRange('192.168.0.0/28'); // 14 usable, static band 14: all static
    const taken = new Set<string>();
    for (let i = 0; i < 14; i++) {
      const ip = r.next(taken, () => 0);
      expect(ip).toBeDefined();
      taken.add(ip as string);
    }
    expect(r.next(taken, () => 0)).toBeUndefined();
    const big = new IpRange('10.0.0.0/16');
    expect(big.next(new Set(), () => 0)).toBe('10.0.1.1'); // past the 256-address static band
  });

  it('never hands out a taken or out-of-range address (property)', () => {
    const r = new IpRange('10.0.0.0/27');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 29 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (used, seed) => {
          const taken = new Set(used.map((n) => `10.0.0.${n}`));
          const ip = r.next(taken, () => seed);
          expect(ip).toBeDefined();
          expect(taken.has(ip as string)).toBe(false);
          expect(r.contains(ip as string)).toBe(true);
        },
      ),
    );
  });

  it('checks requested addresses and rejects malformed ranges', () => {
    const r = new IpRange('10.96.0.0/12');
    expect(r.check('10.96.0.10', new Set())).toBeUndefined();
    expect(r.check('10.96.0.10', new Set(['10.96.0.10']))).toBe('allocated');
    expect(r.check('192.168.1.1', new Set())).toBe('not-in-range');
    expect(() => new IpRange('10.96.0.0')).toThrow(TugboatError);
    expect(() => new IpRange('10.96.0.0/31')).toThrow(/too small/);
  });
});

describe('PortRange (Kubernetes portallocator semantics)', () => {
  it('has the default range and static band, and allocates the upper band first', () => {
    const r = new PortRange('30000-32767');
    expect(r.size).toBe(2768);
    expect(r.staticBand).toBe(86);
    expect(r.next(new Set(), () => 0)).toBe(30086);
    expect(r.check(30000, new Set([30000]))).toBe('allocated');
    expect(r.check(29999, new Set())).toBe('not-in-range');
    expect(() => new PortRange('32767-30000')).toThrow(TugboatError);
  });

  it('fills the whole range before it reports full', () => {
    const r = new PortRange('40000-40019');
    const taken = new Set<number>();
    for (let i = 0; i < 20; i++) taken.add(r.next(taken, Math.random) as number);
    expect([...taken].sort()).toEqual(Array.from({ length: 20 }, (_, i) => 40000 + i));
    expect(r.next(taken, Math.random)).toBeUndefined();
  });
});
