/**
 * SPDY/3 framing (draft-mbelshe-httpbis-spdy-00, section 2.2): a frame is 8 header bytes and a body
 * of up to 2^24 - 1 bytes. A control frame's header has the control bit, the version (3), its type,
 * flags and length; a data frame's has the stream id, flags (FIN) and length. {@link FrameReader}
 * cuts a byte stream into frames; the encoders write the frames a server sends.
 */
import { TugboatError } from '../../model/errors.js';

/** The SPDY version spoken (kubectl's SPDY/3.1 upgrade frames with version 3). */
export const SPDY_VERSION = 3;
/** FLAG_FIN: the sender's last frame on that stream. */
export const FLAG_FIN = 0x01;
/** FLAG_UNIDIRECTIONAL of SYN_STREAM: the receiver must not send on the stream. */
export const FLAG_UNIDIRECTIONAL = 0x02;
const MAX_LENGTH = 0xffffff;

/** The control frame types (section 2.6). */
export const ControlType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

/** RST_STREAM status codes (section 2.6.3). */
export const RstStatus = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6, StreamInUse: 8 } as const;

/** One frame read off a connection. */
export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'synStream'; streamId: number; fin: boolean; unidirectional: boolean; headerBlock: Buffer }
  | { type: 'synReply' | 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'ping'; id: number; raw: Buffer }
  | { type: 'goAway'; lastStreamId: number; status: number }
  | { type: 'ignored'; controlType: number };

function protocolError(message: string): TugboatError {
  return TugboatError.badRequest(`SPDY: ${message}`);
}

/** Decodes one frame from its 8 header bytes and its body. */
export function decodeFrame(header: Buffer, body: Buffer): SpdyFrame {
  const flags = header[4] as number;
  const fin = (flags & FLAG_FIN) !== 0;
  if ((header[0] as number) & 0x80) {
    const version = header.readUInt16BE(0) & 0x7fff;
    if (version !== SPDY_VERSION) throw protocolError(`version ${version} is not supported (only ${SPDY_VERSION})`);
    const type = header.readUInt16BE(2);
    const need = (n: number) => {
      if (body.length < n) throw protocolError(`control frame ${type} is ${body.length} bytes, shorter than ${n}`);
    };
    switch (type) {
      case ControlType.SynStream:
        need(10);
        return {
          type: 'synStream',
          streamId: body.readUInt32BE(0) & 0x7fffffff,
          fin,
          unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
          headerBlock: body.subarray(10),
        };
      case ControlType.SynReply:
      case ControlType.Headers:
        need(4);
        return {
          type: type === ControlType.SynReply ? 'synReply' : 'headers',
          streamId: body.readUInt32BE(0) & 0x7fffffff,
          fin,
          headerBlock: body.subarray(4),
        };
      case ControlType.RstStream:
        need(8);
        return { type: 'rstStream', streamId: body.readUInt32BE(0) & 0x7fffffff, status: body.readUInt32BE(4) };
      case ControlType.Ping:
        need(4);
        return { type: 'ping', id: body.readUInt32BE(0), raw: Buffer.concat([header, body]) };
      case ControlType.GoAway:
        need(4);
        return { type: 'goAway', lastStreamId: body.readUInt32BE(0) & 0x7fffffff, status: body.length >= 8 ? body.readUInt32BE(4) : 0 };
      default:
        return { type: 'ignored', controlType: type };
    }
  }
  return { type: 'data', streamId: header.readUInt32BE(0) & 0x7fffffff, fin, data: body };
}

/** Cuts the bytes of a connection into frames, whatever the chunks they arrive in. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private length = 0;

  /** Adds bytes; returns the frames they complete. Throws on a malformed frame. */
  push(chunk: Buffer): SpdyFrame[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const frames: SpdyFrame[] = [];
    while (this.length >= 8) {
      const head = this.peek(8);
      const bodyLength = head.readUInt32BE(4) & MAX_LENGTH;
      if (this.length < 8 + bodyLength) break;
      const whole = this.take(8 + bodyLength);
      frames.push(decodeFrame(whole.subarray(0, 8), whole.subarray(8)));
    }
    return frames;
  }

  /** The first chunk, made at least `n` bytes long (the caller checked `length`). */
  private first(n: number): Buffer {
    if ((this.chunks[0] as Buffer).length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] as Buffer;
  }

  private peek(n: number): Buffer {
    return this.first(n).subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.first(n);
    if (all.length === n) this.chunks.shift();
    else this.chunks[0] = all.subarray(n);
    this.length -= n;
    return all.subarray(0, n);
  }
}

function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  if (body.length > MAX_LENGTH) throw protocolError(`a frame body of ${body.length} bytes is too long`);
  const header = Buffer.alloc(8);
  header.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt32BE(((flags & 0xff) << 24) | body.length, 4);
  return Buffer.concat([header, body]);
}

function streamIdAnd(streamId: number, rest: Buffer): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & 0x7fffffff);
  return Buffer.concat([id, rest]);
}

/** A DATA frame (split by the caller to at most 2^24 - 1 bytes). */
export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  if (data.length > MAX_LENGTH) throw protocolError(`a data frame of ${data.length} bytes is too long`);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(streamId & 0x7fffffff, 0);
  header.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | data.length, 4);
  return Buffer.concat([header, data]);
}

/** A SYN_REPLY frame carrying a compressed header block. */
export function synReplyFrame(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  return controlFrame(ControlType.SynReply, fin ? FLAG_FIN : 0, streamIdAnd(streamId, headerBlock));
}

/** A RST_STREAM frame. */
export function rstStreamFrame(streamId: number, status: number): Buffer {
  const code = Buffer.alloc(4);
  code.writeUInt32BE(status);
  return controlFrame(ControlType.RstStream, 0, streamIdAnd(streamId, code));
}

/** A GOAWAY frame (status 0: OK). */
export function goAwayFrame(lastStreamId: number, status = 0): Buffer {
  const code = Buffer.alloc(4);
  code.writeUInt32BE(status);
  return controlFrame(ControlType.GoAway, 0, streamIdAnd(lastStreamId, code));
}

/** A PING frame. */
export function pingFrame(id: number): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt32BE(id);
  return controlFrame(ControlType.Ping, 0, body);
}
