import { describe, expect, it } from 'vitest';
import {
  ControlType,
  FrameReader,
  dataFrame,
  goAwayFrame,
  pingFrame,
  rstStreamFrame,
  synReplyFrame,
} from '../../../../src/server/spdy/frames.js';
import { control, synStream } from '../../../support/spdy-client.js';

describe('FrameReader', () => {
  const bytes = Buffer.concat([
    synStream(1, Buffer.from('block'), true),
    dataFrame(1, Buffer.from('hello'), true),
    synReplyFrame(3, Buffer.from('r')),
    rstStreamFrame(5, 5),
    pingFrame(7),
    goAwayFrame(9, 0),
    control(ControlType.WindowUpdate, 0, Buffer.alloc(8)),
    dataFrame(11, Buffer.alloc(0)),
  ]);

  it('decodes every frame type a server reads', () => {
    const frames = new FrameReader().push(bytes);
    expect(frames).toMatchObject([
      { type: 'synStream', streamId: 1, fin: true, unidirectional: false },
      { type: 'data', streamId: 1, fin: true },
      { type: 'synReply', streamId: 3, fin: false },
      { type: 'rstStream', streamId: 5, status: 5 },
      { type: 'ping', id: 7 },
      { type: 'goAway', lastStreamId: 9, status: 0 },
      { type: 'ignored', controlType: ControlType.WindowUpdate },
      { type: 'data', streamId: 11, fin: false },
    ]);
    expect(frames[0]).toMatchObject({ headerBlock: Buffer.from('block') });
    expect(frames[1]).toMatchObject({ data: Buffer.from('hello') });
  });

  it('gives the same frames whatever chunks the bytes arrive in', () => {
    const whole = new FrameReader().push(bytes);
    for (const size of [1, 2, 3, 7, 8, 9, 13, 64]) {
      const reader = new FrameReader();
      const frames = [];
      for (let at = 0; at < bytes.length; at += size) frames.push(...reader.push(bytes.subarray(at, at + size)));
      expect(frames).toEqual(whole);
    }
  });

  it('holds a frame back until all of it arrived', () => {
    const reader = new FrameReader();
    const frame = dataFrame(1, Buffer.from('abcdef'));
    expect(reader.push(frame.subarray(0, 10))).toEqual([]);
    expect(reader.push(frame.subarray(10))).toHaveLength(1);
  });

  it('refuses a control frame of another SPDY version and a short control frame', () => {
    const v2 = control(ControlType.Ping, 0, Buffer.alloc(4));
    v2.writeUInt16BE(0x8002, 0);
    expect(() => new FrameReader().push(v2)).toThrow(/version 2 is not supported/);
    expect(() => new FrameReader().push(control(ControlType.RstStream, 0, Buffer.alloc(4)))).toThrow(/shorter than 8/);
  });
});

describe('frame encoders', () => {
  it('write SPDY/3 headers: control bit and version, type, flags and length', () => {
    const reply = synReplyFrame(3, Buffer.from('xy'), true);
    expect(reply.subarray(0, 8).toString('hex')).toBe('8003000201000006');
    expect(dataFrame(0x7fffffff, Buffer.from('z'), true).subarray(0, 8).toString('hex')).toBe('7fffffff01000001');
  });
});
