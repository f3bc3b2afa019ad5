/**
 * The client end of a SPDY/3 connection for tests, as the Go client (spdystream) writes it: header
 * blocks compressed in one zlib stream with the SPDY/3 dictionary, sync-flushed per block; streams
 * opened with SYN_STREAM; frames read back with the server's own FrameReader.
 */
import { Duplex } from 'node:stream';
import { constants, createDeflate, inflateSync } from 'node:zlib';
import { SPDY3_DICTIONARY } from '../../src/server/spdy/dictionary.js';
import { ControlType, FrameReader, dataFrame, type SpdyFrame } from '../../src/server/spdy/frames.js';
import { decodeNameValues, encodeNameValues } from '../../src/server/spdy/header-block.js';

/** One end of {@link duplexPair}. */
class PairEnd extends Duplex {
  peer: PairEnd | undefined;
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.peer?.push(chunk);
    callback();
  }
  override _final(callback: () => void): void {
    this.peer?.push(null);
    callback();
  }
  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    // As a TCP reset: the other end closes too, without an error.
    if (this.peer && !this.peer.destroyed) this.peer.destroy();
    callback(err);
  }
}

/** Two connected in-memory Duplexes, as the two ends of a TCP connection: what one writes, the other reads. */
export function duplexPair(): [Duplex, Duplex] {
  const a = new PairEnd();
  const b = new PairEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** Zlib-compresses header blocks as one stream with the dictionary (as spdystream does). */
export class ClientHeaderCompressor {
  private readonly deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  private out: Buffer[] = [];
  constructor() {
    this.deflate.on('data', (c: Buffer) => this.out.push(c));
  }
  compress(headers: Record<string, string>): Promise<Buffer> {
    return new Promise((resolve) => {
      this.out = [];
      this.deflate.write(encodeNameValues(headers));
      this.deflate.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(this.out)));
    });
  }
}

/** A control frame of any type. */
export function control(type: number, flags: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8003, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE((flags << 24) | body.length, 4);
  return Buffer.concat([h, body]);
}

/** A SYN_STREAM with an already compressed header block. */
export function synStream(id: number, block: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt32BE(id, 0);
  return control(ControlType.SynStream, fin ? 1 : 0, Buffer.concat([head, block]));
}

/** A test client over one end of a duplex pair. */
export class SpdyTestClient {
  readonly frames: SpdyFrame[] = [];
  private readonly reader = new FrameReader();
  private readonly compressor = new ClientHeaderCompressor();
  private waiters: Array<() => void> = [];
  ended = false;

  constructor(readonly transport: Duplex) {
    transport.on('data', (chunk: Buffer) => {
      this.frames.push(...this.reader.push(chunk));
      for (const w of this.waiters.splice(0)) w();
    });
    transport.on('end', () => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Opens stream `id` with `headers`. */
  async open(id: number, headers: Record<string, string>, fin = false): Promise<void> {
    this.transport.write(synStream(id, await this.compressor.compress(headers), fin));
  }

  /** Sends data (FIN with `fin`). */
  send(id: number, data: string | Buffer, fin = false): void {
    this.transport.write(dataFrame(id, Buffer.from(data), fin));
  }

  /** Sends any raw bytes. */
  raw(bytes: Buffer): void {
    this.transport.write(bytes);
  }

  /** Waits until `test` holds of the frames read so far (or the server ended). */
  async until(test: (frames: SpdyFrame[]) => boolean): Promise<void> {
    while (!test(this.frames)) {
      if (this.ended) throw new Error(`the server ended; frames: ${JSON.stringify(this.frames.map((f) => f.type))}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** The bytes of stream `id`'s DATA frames so far, and whether its FIN came. */
  received(id: number): { text: string; fin: boolean } {
    const data = this.frames.filter((f): f is Extract<SpdyFrame, { type: 'data' }> => f.type === 'data' && f.streamId === id);
    return { text: Buffer.concat(data.map((f) => f.data)).toString(), fin: data.some((f) => f.fin) };
  }

  /** The headers of every SYN_REPLY so far, decompressed as one zlib stream (as Go reads them). */
  replyHeaders(): Array<ReadonlyMap<string, string[]>> {
    const out: Array<ReadonlyMap<string, string[]>> = [];
    const seen: Buffer[] = [];
    for (const f of this.frames) {
      if (f.type !== 'synReply') continue;
      seen.push(f.headerBlock);
      const before = seen.length > 1 ? inflateSync(Buffer.concat(seen.slice(0, -1)), { finishFlush: constants.Z_SYNC_FLUSH }).length : 0;
      const all = inflateSync(Buffer.concat(seen), { finishFlush: constants.Z_SYNC_FLUSH });
      out.push(decodeNameValues(all.subarray(before)));
    }
    return out;
  }
}
