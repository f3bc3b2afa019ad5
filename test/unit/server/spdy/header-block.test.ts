import { describe, expect, it } from 'vitest';
import { constants, inflateSync } from 'node:zlib';
import { HeaderCompressor, HeaderDecompressor, decodeNameValues, encodeNameValues } from '../../../../src/server/spdy/header-block.js';
import { ClientHeaderCompressor } from '../../../support/spdy-client.js';

describe('name/value blocks', () => {
  it('round-trip, with lower-case names and NUL-joined values', () => {
    const block = encodeNameValues({ StreamType: 'data', port: '80', multi: ['a', 'b'] });
    expect([...decodeNameValues(block)]).toEqual([
      ['streamtype', ['data']],
      ['port', ['80']],
      ['multi', ['a', 'b']],
    ]);
  });

  it('a block cut short is a BadRequest', () => {
    const block = encodeNameValues({ port: '8080' });
    expect(() => decodeNameValues(block.subarray(0, block.length - 1))).toThrow(/cut short/);
    expect(() => decodeNameValues(Buffer.from([0, 0]))).toThrow(/cut short/);
  });
});

describe('HeaderCompressor', () => {
  it('writes one zlib stream of sync-flushed blocks that inflates block by block', () => {
    const c = new HeaderCompressor();
    const first = c.compress({});
    const second = c.compress({ a: 'b' });
    expect(first.subarray(0, 2)).toEqual(Buffer.from([0x78, 0x01]));
    // Each block ends with the empty stored block of a sync flush (Go's reader needs it to stop
    // at the frame's end).
    expect(first.subarray(-5)).toEqual(Buffer.from([0, 0, 0, 0xff, 0xff]));
    expect(second.subarray(-5)).toEqual(Buffer.from([0, 0, 0, 0xff, 0xff]));
    const one = inflateSync(first, { finishFlush: constants.Z_SYNC_FLUSH });
    const both = inflateSync(Buffer.concat([first, second]), { finishFlush: constants.Z_SYNC_FLUSH });
    expect([...decodeNameValues(one)]).toEqual([]);
    expect([...decodeNameValues(both.subarray(one.length))]).toEqual([['a', ['b']]]);
  });
});

describe('HeaderDecompressor', () => {
  it('reads the blocks a client compressed with the SPDY/3 dictionary, in order', async () => {
    const client = new ClientHeaderCompressor();
    const d = new HeaderDecompressor();
    const blocks = [
      await client.compress({ streamtype: 'error', port: '80', requestid: '0' }),
      await client.compress({ streamtype: 'data', port: '80', requestid: '0' }),
    ];
    const [a, b] = await Promise.all(blocks.map((x) => d.decompress(x)));
    expect(a?.get('streamtype')).toEqual(['error']);
    expect(b?.get('streamtype')).toEqual(['data']);
    d.close();
  });

  it('rejects bad zlib data with a BadRequest, and every block after it', async () => {
    const d = new HeaderDecompressor();
    await expect(d.decompress(Buffer.from('not zlib at all'))).rejects.toThrow(/SPDY: header block/);
    await expect(d.decompress(Buffer.from([0x78, 0x01]))).rejects.toThrow(/SPDY: header block/);
    d.close();
  });
});
