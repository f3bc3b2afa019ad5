/**
 * SPDY/3 name/value header blocks (section 2.6.10): a 32-bit count, then each name and value after
 * its 32-bit length; a value of several values joins them with NUL. The blocks of one direction of
 * a connection form one zlib stream, sync-flushed after each block, so each side keeps one
 * compression state for the connection's life.
 *
 * Reading inflates with the SPDY/3 dictionary (the Go client compresses with it). Writing emits
 * stored (uncompressed) deflate blocks, each followed by the empty stored block of a sync flush:
 * that needs no dictionary, nor any state but "was the zlib header sent", so a block is encoded
 * synchronously; the few headers a server sends do not need compressing.
 */
import { constants, createInflate, type Inflate } from 'node:zlib';
import { TugboatError } from '../../model/errors.js';
import { SPDY3_DICTIONARY } from './dictionary.js';

/** Headers of a stream by lower-case name; a name sent with several values has them all. */
export type SpdyHeaders = ReadonlyMap<string, string[]>;

/** Encodes headers as an uncompressed name/value block. */
export function encodeNameValues(headers: Record<string, string | string[]>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from((Array.isArray(value) ? value : [value]).join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Decodes an uncompressed name/value block. Throws BadRequest when it is cut short. */
export function decodeNameValues(block: Buffer): SpdyHeaders {
  const headers = new Map<string, string[]>();
  let at = 0;
  const read = (): Buffer => {
    if (at + 4 > block.length) throw TugboatError.badRequest('SPDY: a header block is cut short');
    const length = block.readUInt32BE(at);
    at += 4;
    if (at + length > block.length) throw TugboatError.badRequest('SPDY: a header block is cut short');
    const bytes = block.subarray(at, at + length);
    at += length;
    return bytes;
  };
  if (block.length === 0) return headers;
  if (block.length < 4) throw TugboatError.badRequest('SPDY: a header block is cut short');
  const count = block.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < count; i++) {
    const name = read().toString('utf8').toLowerCase();
    const values = read().toString('utf8').split('\0');
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  return headers;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

const SYNC_FLUSH = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/** The writing side: each call returns the next block of the connection's zlib stream. */
export class HeaderCompressor {
  private started = false;

  /** The zlib bytes of one header block. */
  compress(headers: Record<string, string | string[]>): Buffer {
    const raw = encodeNameValues(headers);
    const parts: Buffer[] = [];
    if (!this.started) {
      // CMF 0x78 (deflate, 32 KiB window), FLG 0x01: no dictionary, fastest level, check bits.
      parts.push(Buffer.from([0x78, 0x01]));
      this.started = true;
    }
    for (let at = 0; at < raw.length; at += 0xffff) {
      const piece = raw.subarray(at, at + 0xffff);
      // A stored block that is not the last: BFINAL 0, BTYPE 00, then LEN and its complement.
      const head = Buffer.alloc(5);
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
    }
    // The empty stored block a zlib sync flush ends with: a reader that meets it hands out the
    // block's bytes without reading on past the frame.
    parts.push(SYNC_FLUSH);
    return Buffer.concat(parts);
  }
}

/** The reading side: inflates each block in turn, in the order they arrived. */
export class HeaderDecompressor {
  private readonly inflate: Inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private output: Buffer[] = [];
  private failure: Error | undefined;
  private fail: ((err: Error) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    this.inflate.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.inflate.on('error', (err) => {
      this.failure = err;
      this.fail?.(err);
    });
  }

  /** The headers of the next compressed block. Rejects with BadRequest on bad zlib data. */
  decompress(block: Buffer): Promise<SpdyHeaders> {
    const next = this.queue.then(
      () =>
        new Promise<SpdyHeaders>((resolve, reject) => {
          const bad = (err: Error) => reject(TugboatError.badRequest(`SPDY: header block: ${err.message}`));
          if (this.failure) return bad(this.failure);
          this.fail = bad;
          this.output = [];
          this.inflate.write(block);
          this.inflate.flush(constants.Z_SYNC_FLUSH, () => {
            this.fail = undefined;
            if (this.failure) return bad(this.failure);
            try {
              resolve(decodeNameValues(Buffer.concat(this.output)));
            } catch (err) {
              reject(err);
            }
          });
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Frees the zlib state. */
  close(): void {
    this.inflate.destroy();
  }
}
