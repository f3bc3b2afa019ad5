import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY } from '../../../../src/server/spdy/dictionary.js';

describe('SPDY3_DICTIONARY', () => {
  it('is the 1,423 bytes of the SPDY/3 spec (the digest of the Go and JS implementations’ copy)', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex')).toBe(
      '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02',
    );
  });
});
