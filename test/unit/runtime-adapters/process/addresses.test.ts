import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADDRESSES_PER_BLOCK,
  addressBlockFor,
  freeAddresses,
  isBlock,
  loopbackAddress,
} from '../../../../src/runtime-adapters/process/addresses.js';

const block = fc.integer({ min: 1, max: 254 });
const index = fc.integer({ min: 0, max: ADDRESSES_PER_BLOCK - 1 });

describe('process runtime pod addresses', () => {
  it('loopbackAddress is 127.block.x.y with y in 1..254', () => {
    fc.assert(
      fc.property(block, index, (b, i) => {
        const octets = loopbackAddress(b, i).split('.').map(Number);
        expect(octets[0]).toBe(127);
        expect(octets[1]).toBe(b);
        expect(octets[2]).toBeGreaterThanOrEqual(0);
        expect(octets[2]).toBeLessThanOrEqual(255);
        expect(octets[3]).toBeGreaterThanOrEqual(1);
        expect(octets[3]).toBeLessThanOrEqual(254);
      }),
    );
  });

  it('loopbackAddress gives distinct indices distinct addresses', () => {
    fc.assert(
      fc.property(block, index, index, (b, i, j) => {
        fc.pre(i !== j);
        expect(loopbackAddress(b, i)).not.toBe(loopbackAddress(b, j));
      }),
    );
    expect(loopbackAddress(1, 0)).toBe('127.1.0.1');
    expect(loopbackAddress(1, 253)).toBe('127.1.0.254');
    expect(loopbackAddress(1, 254)).toBe('127.1.1.1');
    expect(loopbackAddress(254, ADDRESSES_PER_BLOCK - 1)).toBe('127.254.255.254');
  });

  it('rejects blocks and indices out of range', () => {
    for (const b of [0, 255, 1.5, -1]) expect(() => loopbackAddress(b, 0)).toThrow(RangeError);
    for (const i of [-1, ADDRESSES_PER_BLOCK, 0.5]) expect(() => loopbackAddress(1, i)).toThrow(RangeError);
    expect([isBlock(1), isBlock(254), isBlock(0), isBlock('1')]).toEqual([true, true, false, false]);
  });

  it('addressBlockFor maps any key into 1..254, the same key to the same block', () => {
    fc.assert(
      fc.property(fc.string(), (key) => {
        const b = addressBlockFor(key);
        expect(isBlock(b)).toBe(true);
        expect(addressBlockFor(key)).toBe(b);
      }),
    );
    const blocks = new Set(Array.from({ length: 50 }, (_, i) => addressBlockFor(`/tmp/state-${i}`)));
    expect(blocks.size).toBeGreaterThan(30);
  });

  it('freeAddresses yields the block in order, skipping the taken ones', () => {
    fc.assert(
      fc.property(block, fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 20 }), (b, takenIdx) => {
        const taken = new Set(takenIdx.map((i) => loopbackAddress(b, i)));
        const gen = freeAddresses(b, taken);
        const first = Array.from({ length: 5 }, () => gen.next().value as string);
        const expected = Array.from({ length: 60 }, (_, i) => loopbackAddress(b, i))
          .filter((ip) => !taken.has(ip))
          .slice(0, 5);
        expect(first).toEqual(expected);
      }),
    );
  });
});
