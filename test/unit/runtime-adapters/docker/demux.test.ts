import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, splitTimestamp, StreamDemuxer } from '../../../../src/runtime-adapters/docker/demux.js';

function frame(type: 1 | 2, text: string): Buffer {
  const data = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(data.length, 4);
  return Buffer.concat([h, data]);
}

describe('StreamDemuxer', () => {
  it('splits stdout and stderr frames', () => {
    const d = new StreamDemuxer();
    const frames = d.push(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, '')]));
    expect(frames.map((f) => [f.stream, f.data.toString()])).toEqual([
      ['stdout', 'out\n'],
      ['stderr', 'err\n'],
      ['stdout', ''],
    ]);
  });

  it('gives the same frames however the bytes are chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<1 | 2>(1, 2), fc.string({ maxLength: 40 })), { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 1, maxLength: 20 }),
        (parts, cuts) => {
          const bytes = Buffer.concat(parts.map(([t, s]) => frame(t, s)));
          const d = new StreamDemuxer();
          const got: string[] = [];
          let i = 0;
          let k = 0;
          while (i < bytes.length) {
            const n = cuts[k++ % cuts.length];
            for (const f of d.push(bytes.subarray(i, i + n))) got.push(`${f.stream}:${f.data.toString()}`);
            i += n;
          }
          expect(got).toEqual(parts.map(([t, s]) => `${t === 1 ? 'stdout' : 'stderr'}:${s}`));
        },
      ),
    );
  });

  it('passes raw (TTY) bytes through as stdout', () => {
    expect(new StreamDemuxer(true).push(Buffer.from('abc')).map((f) => [f.stream, f.data.toString()])).toEqual([['stdout', 'abc']]);
  });
});

describe('LineSplitter', () => {
  it('cuts lines across chunks, keeps UTF-8 intact, strips CR, flushes a last partial line', () => {
    const s = new LineSplitter();
    const euro = Buffer.from('€');
    expect(s.push(Buffer.concat([Buffer.from('a\r\nb'), euro.subarray(0, 1)]))).toEqual(['a']);
    expect(s.push(Buffer.concat([euro.subarray(1), Buffer.from('\nc')]))).toEqual(['b€']);
    expect(s.flush()).toEqual(['c']);
    expect(s.flush()).toEqual([]);
  });
});

describe('splitTimestamp', () => {
  it('splits Docker RFC 3339 nanosecond prefixes', () => {
    const r = splitTimestamp('2024-05-01T10:20:30.123456789Z hello world');
    expect(r.line).toBe('hello world');
    expect(r.time?.toISOString()).toBe('2024-05-01T10:20:30.123Z');
  });
  it('leaves lines without a timestamp alone', () => {
    expect(splitTimestamp('plain line')).toEqual({ line: 'plain line' });
    expect(splitTimestamp('')).toEqual({ line: '' });
  });
});
